"""Who may do what to organisations and their memberships."""

from typing import Any

import rules

from digikunta.accounts.rules import is_coordinator, is_superuser
from digikunta.accounts.selectors import load_roles
from digikunta.organisations.models import MembershipRole


def organisation_roles(user: Any) -> dict[int, str]:
    """The person's role in each organisation they belong to, by organisation id: one query
    with the platform roles (accounts.selectors.load_roles),
    kept on the user object for the request (rules, staff checks and visibility share it)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    if getattr(user, "_organisation_roles", None) is None:
        load_roles(user)  # with the platform roles, in the same query
    return user._organisation_roles


def _role_in(user: Any, organisation: Any) -> str | None:
    """The role in ``organisation`` (an instance or its id)."""
    if organisation is None:
        return None
    return organisation_roles(user).get(getattr(organisation, "pk", organisation))


@rules.predicate
def is_organisation_member(user: Any, organisation: Any) -> bool:
    return _role_in(user, organisation) is not None


@rules.predicate
def is_organisation_admin(user: Any, organisation: Any) -> bool:
    return _role_in(user, organisation) == MembershipRole.ADMIN


is_programme_staff = is_coordinator | is_superuser

rules.add_perm("organisations.view_organisation", rules.always_allow)
rules.add_perm("organisations.add_organisation", rules.is_authenticated)
rules.add_perm(
    "organisations.change_organisation",
    rules.is_authenticated & (is_organisation_admin | is_programme_staff),
)
rules.add_perm(
    "organisations.manage_members_organisation",
    rules.is_authenticated & (is_organisation_admin | is_programme_staff),
)
rules.add_perm(
    "organisations.view_members_organisation",
    rules.is_authenticated & (is_organisation_member | is_programme_staff),
)
rules.add_perm("organisations.leave_organisation", rules.is_authenticated & is_organisation_member)
