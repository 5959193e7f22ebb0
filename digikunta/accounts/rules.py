"""Who may do what to people's accounts and platform roles (see digikunta.core.permissions)."""

from typing import Any

import rules

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.selectors import user_platform_roles


def has_platform_role(role: str) -> rules.Predicate:
    @rules.predicate(name=f"has_platform_role:{role}")
    def predicate(user: Any) -> bool:
        return role in user_platform_roles(user)

    return predicate


is_coordinator = has_platform_role(PlatformRole.COORDINATOR)
is_reviewer = has_platform_role(PlatformRole.REVIEWER)
is_expert = has_platform_role(PlatformRole.EXPERT)
is_moderator = has_platform_role(PlatformRole.MODERATOR)
is_superuser = rules.is_superuser


# Platform roles are granted by coordinators (and superusers). People manage their own account
# through views that act on request.user only, so no rule is needed for that.
rules.add_perm("accounts.grant_role_user", rules.is_authenticated & (is_coordinator | is_superuser))
