"""Sessions that carry a person's data, and ending them all (issue 8, finding 6).

A session names its person in Django's ``_auth_user_id`` and, for allauth, in its login records
and stashes: ``account_authentication_methods_user``, the pending ``account_login`` of a sign-up
awaiting verification or of a login awaiting its TOTP code (``user_pk`` and ``email``), and the
password-reset key (``<user id in base 36>-<token>``). The last three live in sessions that are
not signed in, so only reading every session finds them (docs/privacy.md).

The store (SESSION_ENGINE) is Django's database store with the person's id in its own column
(accounts.models.Session): loading a session reads the person and their roles with it, in one
query, for the request's get_user (accounts/backends.py, issue 9).
"""

import json
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import SessionBase
from django.db import connections, router
from django.utils import timezone

from digikunta.accounts.models import Session, User
from digikunta.accounts.selectors import person_with_roles, roles_query
from digikunta.core.rows import column_list, concrete_names, convert

# allauth's session keys (allauth.account.internal.flows.login, .stagekit, views).
_RECORDS_USER = "account_authentication_methods_user"
_RECORDS = "account_authentication_methods"
_LOGIN_STASH = "account_login"
_RESET_KEY = "_password_reset_key"
# What allauth copies from the login form into its authentication records; nothing reads it.
_RECORD_FIELDS_TO_DROP = ("email", "username", "phone")


class SessionStore(db.SessionStore):
    """Sessions in accounts.models.Session. ``person`` is the signed-in person as loaded with
    the session (None when nobody is signed in or the session is new)."""

    person: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        return _with_person(super().create_model_instance(data), data)

    async def acreate_model_instance(self, data: dict[str, Any]) -> Session:
        return _with_person(await super().acreate_model_instance(data), data)

    def _get_session_from_db(self) -> Session | None:
        self.person = None
        using = router.db_for_read(Session)
        connection = connections[using]
        quote = connection.ops.quote_name
        table, users = quote(Session._meta.db_table), quote(User._meta.db_table)
        names = concrete_names(User)
        key, user_id = (quote(Session._meta.get_field(f).column) for f in ("session_key", "user"))
        # The roles' person is the session's, found by the key in each part of the UNION: a
        # join on the person's id would read every membership first on SQLite.
        whose = f"(SELECT {user_id} FROM {table} WHERE {key} = %s)"  # noqa: S608
        roles, times = roles_query(whose)
        sql = (
            f"SELECT s.session_data, s.expire_date, {column_list(User, names, 'u')},"  # noqa: S608
            f" r.source, r.role, r.role_key FROM {table} s"
            f" LEFT JOIN {users} u ON u.{quote(User._meta.pk.column)} = s.{user_id}"
            f" LEFT JOIN ({roles}) r ON 1 = 1"
            f" WHERE s.{key} = %s AND s.expire_date > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key] * (times + 1) + [now])
            rows = cursor.fetchall()
        if not rows:
            self._session_key = None
            return None
        data, expires = rows[0][:2]
        [expires] = convert(Session, ["expire_date"], [expires], using)
        if rows[0][2 + names.index(User._meta.pk.attname)] is not None:  # signed in
            self.person = person_with_roles(rows, 2, using)
        return Session(session_key=self.session_key, session_data=data, expire_date=expires)


def _with_person(session: Session, data: dict[str, Any]) -> Session:
    user_id = data.get(SESSION_KEY)
    session.user_id = int(user_id) if str(user_id or "").isdigit() else None
    return session


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def carries_person(data: dict[str, Any], *, user_ids: set[str], emails: set[str]) -> bool:
    """True when decoded session ``data`` names the person by id or by an e-mail address."""
    if str(data.get(SESSION_KEY)) in user_ids or str(data.get(_RECORDS_USER)) in user_ids:
        return True
    login = data.get(_LOGIN_STASH)
    if isinstance(login, dict) and str(login.get("user_pk")) in user_ids:
        return True
    reset_key = data.get(_RESET_KEY)
    if isinstance(reset_key, str) and reset_key.split("-", 1)[0] in user_ids:
        return True
    text = json.dumps(data, default=str).casefold()
    return any(email in text for email in emails)


def sessions_end(user: Any) -> int:
    """End every session of ``user`` on every device, and delete every session row, signed in
    or not, that carries their id or e-mail address. Returns how many were deleted.

    Reads each stored session once: erasure is rare, and a pending sign-up or TOTP login is
    known only by what its session holds. Needs a database-backed session engine (db or
    cached_db, ours), whose rows can be listed.
    """
    store = _session_store()
    user_ids = {str(user.pk), user_pk_to_url_str(user)}
    emails = {user.email.casefold()} | {
        address.casefold()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    decoder = store()
    doomed = [
        key
        for key, encoded in store.get_model_class()
        .objects.values_list("session_key", "session_data")
        .iterator()
        if carries_person(decoder.decode(encoded), user_ids=user_ids, emails=emails)
    ]
    for key in doomed:
        store(session_key=key).delete()  # through the store: cached_db forgets its copy too
    return len(doomed)


def drop_identifiers_from_records(session: SessionBase) -> None:
    """allauth keeps the typed e-mail address in its record of how a person logged in, for the
    whole session; the method and time are all anyone needs (data minimisation)."""
    records = session.get(_RECORDS)
    if not isinstance(records, list):
        return
    cleaned = [
        {key: value for key, value in record.items() if key not in _RECORD_FIELDS_TO_DROP}
        if isinstance(record, dict)
        else record
        for record in records
    ]
    if cleaned != records:
        session[_RECORDS] = cleaned
