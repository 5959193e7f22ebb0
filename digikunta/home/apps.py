from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The pages that gather the work of every app: the front page, the month's experiment
    (Kuukauden kokeilu) and the staff's status page. It reads the other apps; none reads it."""

    name = "digikunta.home"
    verbose_name = _("Front page")

    def ready(self) -> None:
        from digikunta.experiments import recognitions
        from digikunta.home import pages  # noqa: F401 - registers what stales cached pages
        from digikunta.home.selectors import month_recognitions

        recognitions.register(month_recognitions)  # the badge on the experiment's page
