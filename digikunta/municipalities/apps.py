from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "digikunta.municipalities"
    verbose_name = _("Municipalities and regions")

    def ready(self) -> None:
        from digikunta.municipalities import pages  # noqa: F401 - registers what stales cached pages
