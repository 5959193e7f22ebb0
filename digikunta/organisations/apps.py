from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "digikunta.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from digikunta.accounts.selectors import role_source
        from digikunta.organisations import pages  # noqa: F401 - registers what stales cached pages

        role_source("_organisation_roles", "organisations.Membership", "organisation")
