from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MineConfig(AppConfig):
    name = "digikunta.mine"
    verbose_name = _("My Digikunta")
