"""Who may choose the month's experiment: the programme's coordinators (and superusers)."""

import rules

from digikunta.accounts.rules import is_coordinator, is_superuser

rules.add_perm(
    "home.choose_experimentofthemonth", rules.is_authenticated & (is_coordinator | is_superuser)
)
