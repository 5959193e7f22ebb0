"""Reads about people: their roles and what their roles require."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.db import connections, router

from digikunta.accounts.models import STAFF_PLATFORM_ROLES, ApiToken, RoleAssignment


def forget(user: Any, *memos: str) -> None:
    """Drop what this request keeps on the user object (roles, teams…), so that a change is
    seen at once, even by code still holding the object. Attributes, not ``__dict__``:
    request.user is a lazy object that passes them through to the user."""
    for memo in memos:
        if hasattr(user, memo):
            delattr(user, memo)


def load_roles(user: Any) -> None:
    """Read the person's platform roles and organisation memberships in one query, and keep
    them on the user object for the request (user_platform_roles,
    organisations.rules.organisation_roles). Every signed-in page needs both: its two-factor
    check asks them first (issue 9)."""
    from digikunta.organisations.models import Membership

    connection = connections[router.db_for_read(RoleAssignment)]
    name = connection.ops.quote_name

    def column(model: Any, field: str) -> str:
        return name(model._meta.get_field(field).column)

    roles, memberships = name(RoleAssignment._meta.db_table), name(Membership._meta.db_table)
    sql = (
        f"SELECT {column(RoleAssignment, 'role')}, NULL FROM {roles}"  # noqa: S608
        f" WHERE {column(RoleAssignment, 'user')} = %s"
        f" UNION ALL SELECT {column(Membership, 'role')}, {column(Membership, 'organisation')}"
        f" FROM {memberships} WHERE {column(Membership, 'user')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        rows = cursor.fetchall()
    user._platform_roles = frozenset(role for role, organisation in rows if organisation is None)
    user._organisation_roles = {
        organisation: role for role, organisation in rows if organisation is not None
    }


def user_platform_roles(user: Any) -> frozenset[str]:
    """The platform roles a person holds; cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if getattr(user, "_platform_roles", None) is None:
        load_roles(user)
    return user._platform_roles


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
