from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "digikunta.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from digikunta.participation import sections
        from digikunta.surveys.sections import process_sections

        # Participation knows surveys only through its registry (docs/architecture.md).
        sections.register(process_sections)
