"""Reads about people: their roles and what their roles require."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import connections, router

from digikunta.accounts.models import STAFF_PLATFORM_ROLES, ApiToken, RoleAssignment


def forget(user: Any, *memos: str) -> None:
    """Drop what this request keeps on the user object (roles, teams…), so that a change is
    seen at once, even by code still holding the object. Attributes, not ``__dict__``:
    request.user is a lazy object that passes them through to the user."""
    for memo in memos:
        if hasattr(user, memo):
            delattr(user, memo)


# Other apps' roles of a person, read with the platform roles (role_source).
_sources: list[tuple[str, str, str]] = []


def role_source(memo: str, model: str, key: str) -> None:
    """Read ``model``'s roles of a person with the platform roles, in the same query, as
    ``{key's id: role}`` in the user's attribute ``memo``. The model (an app label, as
    "organisations.Membership") has a ``user`` and a ``role`` field. Call it from the app's
    ready()."""
    if (memo, model, key) not in _sources:
        _sources.append((memo, model, key))


def roles_query(person: str = "%s") -> tuple[str, int]:
    """The UNION that reads a person's platform roles and every role_source, as columns
    (source, role, role_key), and how many times it holds ``person``: the SQL of the person's
    id (a parameter by default)."""
    connection = connections[router.db_for_read(RoleAssignment)]
    name = connection.ops.quote_name

    def select(index: int, model: Any, key: str | None) -> str:
        def column(field: str) -> str:
            return name(model._meta.get_field(field).column)

        keyed = column(key) if key else "NULL"
        return (
            f"SELECT {index} AS source, {column('role')} AS role, {keyed} AS role_key"  # noqa: S608
            f" FROM {name(model._meta.db_table)} WHERE {column('user')} = {person}"
        )

    parts = [select(0, RoleAssignment, None)]
    parts += [
        select(i, apps.get_model(model), key) for i, (_m, model, key) in enumerate(_sources, 1)
    ]
    return " UNION ALL ".join(parts), len(parts)


def keep_roles(user: Any, rows: list[tuple[int, str, Any]]) -> None:
    """Keep the rows of roles_query on the user object for the request (user_platform_roles,
    organisations.rules.organisation_roles, experiments.selectors.team_roles)."""
    user._platform_roles = frozenset(role for index, role, _key in rows if index == 0)
    for i, (memo, _model, _key) in enumerate(_sources, 1):
        setattr(user, memo, {key: role for index, role, key in rows if index == i})


def person_with_roles(rows: list[tuple], start: int, using: str) -> Any:
    """The person and their roles from the rows of a query that joins roles_query to the
    person's columns (concrete_names, from ``start``), one row per role: the session store's
    and the backend's (issue 9)."""
    from digikunta.accounts.models import User
    from digikunta.core.rows import concrete_names, instance

    end = start + len(concrete_names(User))
    person = instance(User, concrete_names(User), rows[0][start:end], using)
    keep_roles(person, [row[end:] for row in rows if row[end] is not None])
    return person


def load_roles(user: Any) -> None:
    """Read the person's platform roles and every role_source (memberships, teams) in one
    query, and keep them on the user object (keep_roles). Every signed-in page needs them:
    its two-factor check asks first (issue 9). The person's own request reads them with the
    person (accounts.backends)."""
    connection = connections[router.db_for_read(RoleAssignment)]
    sql, times = roles_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * times)
        keep_roles(user, cursor.fetchall())


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
