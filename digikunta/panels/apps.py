from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "digikunta.panels"
    verbose_name = _("Citizens' panels")

    def ready(self) -> None:
        from digikunta.panels import receivers, sections  # noqa: F401  (they register themselves)
