from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "digikunta.participation"
    verbose_name = _("Resident participation")

    def ready(self) -> None:
        from digikunta.experiments import origins
        from digikunta.participation import (
            moderation,
            notifications,  # noqa: F401 - registers its kinds
            pages,  # noqa: F401 - registers what stales cached pages
        )
        from digikunta.participation.selectors import idea_origins

        moderation.register()  # ideas can be reported and hidden
        origins.register(idea_origins)  # "Where the idea came from" on the experiment's page
