from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`digikunta demo`: demo people, organisations, experiments and funding for development
    (DEBUG only). It writes through every app's services, so it sits above them all; no app
    imports it."""

    name = "digikunta.demo"
    verbose_name = _("Demo data")
