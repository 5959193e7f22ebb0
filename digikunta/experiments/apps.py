from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "digikunta.experiments"
    verbose_name = _("Experiments")

    def ready(self) -> None:
        from digikunta.accounts.selectors import role_source
        from digikunta.experiments import (
            moderation,
            notifications,  # noqa: F401 - registers its kinds
            pages,  # noqa: F401 - registers what stales cached pages
        )

        role_source("_team_roles", "experiments.TeamMember", "experiment")
        moderation.register()  # journal entries can be reported and hidden
