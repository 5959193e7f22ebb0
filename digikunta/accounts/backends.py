"""Signing in with allauth's backend; the person of each request read with their roles.

Every signed-in request reads its person, and every signed-in page their roles (the two-factor
check, the navigation, who may see what). Django's ModelBackend builds an ORM query for the
person and the roles cost another query: here both come from one plain SELECT (issue 9).
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from digikunta.accounts.models import User
from digikunta.accounts.selectors import keep_roles, roles_query
from digikunta.core.rows import column_list, concrete_names, instance


class AuthenticationBackend(AllauthBackend):
    """allauth's sign-in by e-mail and password, and get_user() with the person's roles."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
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
        width = len(names)
        user = instance(User, names, rows[0][:width], using)
        keep_roles(user, [row[width:] for row in rows if row[width] is not None])
        return user if self.user_can_authenticate(user) else None
