from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasebankConfig(AppConfig):
    name = "digikunta.casebank"
    verbose_name = _("Case bank")

    def ready(self) -> None:
        from digikunta.casebank import index

        index.connect()
