from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "digikunta.funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from digikunta.funding import pages  # noqa: F401 - registers what stales cached pages
