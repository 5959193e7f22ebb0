from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **kwargs: object) -> None:
    """Create the database cache table after migrations; idempotent."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "digikunta.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)
