from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "digikunta.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from digikunta.audit import receivers  # noqa: F401
