"""Reads about people: their roles and what their roles require."""

from typing import Any

from allauth.mfa.models import Authenticator

from digikunta.accounts.models import STAFF_PLATFORM_ROLES, ApiToken, RoleAssignment


def user_platform_roles(user: Any) -> frozenset[str]:
    """The platform roles a person holds; cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_platform_roles", None)
    if cached is None:
        cached = frozenset(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        user._platform_roles = cached
    return cached


def user_holds_staff_role(user: Any) -> bool:
    """Organisation admin, coordinator, reviewer, moderator or site administrator: sees other
    people's data."""
    from digikunta.organisations.models import MembershipRole
    from digikunta.organisations.rules import organisation_roles

    if user.is_staff or user.is_superuser or user_platform_roles(user) & STAFF_PLATFORM_ROLES:
        return True
    return MembershipRole.ADMIN in organisation_roles(user).values()


def user_has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_needs_two_factor_setup(user: Any) -> bool:
    return user_holds_staff_role(user) and not user_has_totp(user)


def api_tokens_of(user: Any) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
