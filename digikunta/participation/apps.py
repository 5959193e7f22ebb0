from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "digikunta.participation"
    verbose_name = _("Resident participation")

    def ready(self) -> None:
        from digikunta.experiments import origins
        from digikunta.participation import (  # noqa: F401 - registered at import
            notifications,  # the kinds of notification
            pages,  # what stales cached pages
        )
        from digikunta.participation.selectors import idea_origins

        origins.register(idea_origins)  # "Where the idea came from" on the experiment's page
