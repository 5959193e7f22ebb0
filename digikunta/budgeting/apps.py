from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "digikunta.budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        # The process page shows the vote through participation's registry: participation
        # never imports this app (docs/architecture.md, layering rules).
        from digikunta.budgeting.sections import process_sections
        from digikunta.participation import sections

        sections.register(process_sections)
