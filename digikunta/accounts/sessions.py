"""Sessions that carry a person's data, and ending them all (issue 8, finding 6).

A session names its person in Django's ``_auth_user_id`` and, for allauth, in its login records
and stashes: ``account_authentication_methods_user``, the pending ``account_login`` of a sign-up
awaiting verification or of a login awaiting its TOTP code (``user_pk`` and ``email``), and the
password-reset key (``<user id in base 36>-<token>``). The last three live in sessions that are
not signed in, so only reading every session finds them (docs/privacy.md).
"""

import json
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase

# allauth's session keys (allauth.account.internal.flows.login, .stagekit, views).
_RECORDS_USER = "account_authentication_methods_user"
_RECORDS = "account_authentication_methods"
_LOGIN_STASH = "account_login"
_RESET_KEY = "_password_reset_key"
# What allauth copies from the login form into its authentication records; nothing reads it.
_RECORD_FIELDS_TO_DROP = ("email", "username", "phone")


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
