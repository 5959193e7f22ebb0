from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "digikunta.participation"
    verbose_name = _("Resident participation")

    def ready(self) -> None:
        from digikunta.participation import pages  # noqa: F401 - registers what stales cached pages
