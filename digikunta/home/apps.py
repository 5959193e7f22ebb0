from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The pages that gather the work of every app: the front page and the staff's status
    page. It reads the other apps; none reads it."""

    name = "digikunta.home"
    verbose_name = _("Front page")
