from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "digikunta.experiments"
    verbose_name = _("Experiments")

    def ready(self) -> None:
        from digikunta.experiments import pages  # noqa: F401 - registers what stales cached pages
