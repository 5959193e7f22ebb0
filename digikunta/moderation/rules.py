"""Who moderates: the platform's moderators and coordinators (and superusers). Anyone signed
in may report what they can see (the registry's ``visible_to``)."""

import rules

from digikunta.accounts.rules import is_coordinator, is_moderator, is_superuser

moderates = is_moderator | is_coordinator | is_superuser

# The queue, hiding, restoring, dismissing: can(user, "moderate", Report).
rules.add_perm("moderation.moderate_report", rules.is_authenticated & moderates)
rules.add_perm("moderation.add_report", rules.is_authenticated)
# Blocking and unblocking accounts: can(user, "add", AccountBlock).
rules.add_perm("moderation.add_accountblock", rules.is_authenticated & moderates)
