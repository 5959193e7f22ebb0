"""Signing in with allauth's backend; the person of each request read with their roles.

Every signed-in request reads its person, and every signed-in page their roles (the two-factor
check, the navigation, who may see what). Django's ModelBackend builds an ORM query for the
person, and the roles cost another: here the session store reads both with the session, in one
plain SELECT (accounts/sessions.py), and the middleware hands that person to Django's own
get_user(), which still verifies the session's hash (issue 9). Without a loaded person (another
session engine, a direct call) one query reads the person with their roles.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoMiddleware
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from digikunta.accounts.models import User
from digikunta.accounts.selectors import person_with_roles, roles_query
from digikunta.core.rows import column_list, concrete_names

# The person read with the request's session, while Django's get_user() runs.
_loaded: ContextVar[User | None] = ContextVar("loaded_person", default=None)


@contextmanager
def loaded_person(person: User | None) -> Iterator[None]:
    token = _loaded.set(person)
    try:
        yield
    finally:
        _loaded.reset(token)


class AuthenticationBackend(AllauthBackend):
    """allauth's sign-in by e-mail and password, and get_user() with the person's roles."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        person = _loaded.get()
        if person is None or person.pk != pk:
            person = _read_person(pk)
        return person if person is not None and self.user_can_authenticate(person) else None


def _read_person(pk: int) -> User | None:
    using = router.db_for_read(User)
    connection = connections[using]
    quote = connection.ops.quote_name
    names = concrete_names(User)
    roles, times = roles_query()
    # One row per role, the person's columns repeated; one row with no role when none.
    sql = (
        f"SELECT {column_list(User, names, 'u')}, r.source, r.role, r.role_key"  # noqa: S608
        f" FROM {quote(User._meta.db_table)} u LEFT JOIN ({roles}) r ON 1 = 1"
        f" WHERE u.{quote(User._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk] * times + [pk])
        rows = cursor.fetchall()
    if not rows:
        return None
    return person_with_roles(rows, 0, using)


def _get_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(auth.SESSION_KEY)  # loads the session, and with it its person
        with loaded_person(getattr(session, "person", None)):
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoMiddleware):
    """Django's, with the person that the session store read with the session."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))  # type: ignore[assignment]
