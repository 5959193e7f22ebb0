from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications without floods (issue 11): the apps above register their kinds
    (kinds.py) and call services.deliver; people choose per kind how often, or not at all."""

    name = "digikunta.notifications"
    verbose_name = _("Notifications")
