from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **kwargs: object) -> None:
    """Create the database cache table after migrations; idempotent.

    Connected for every app: Django sends post_migrate only for apps with models, and core has
    none. createcachetable skips a table that exists.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "digikunta.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from digikunta.core import converters, pagecache  # noqa: F401 (registers <id:…>)

        post_migrate.connect(create_cache_table, dispatch_uid="digikunta-cache-table")
        pagecache.connect_signals()
