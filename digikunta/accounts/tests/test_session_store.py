"""The session store (accounts/sessions.py): Django's database sessions, each read with its
person and their roles in one plain SELECT."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone

from digikunta.accounts.models import PlatformRole, RoleAssignment, Session
from digikunta.accounts.selectors import user_platform_roles
from digikunta.accounts.sessions import SessionStore
from digikunta.organisations.models import Membership, MembershipRole
from digikunta.organisations.rules import organisation_roles

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_and_an_expired_or_unknown_one_is_empty():
    store = SessionStore()
    store["colour"] = "sininen"
    store.save()

    assert SessionStore(store.session_key)["colour"] == "sininen"
    assert SessionStore(store.session_key).person is None  # nobody signed in

    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key on the next save, as with Django's own
    assert SessionStore("x" * 32).load() == {}


def _signed_in(person) -> SessionStore:
    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = "digikunta.accounts.backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.save()
    return store


def test_a_signed_in_session_loads_its_person_and_roles_in_one_query(
    resident, organisation, django_assert_num_queries
):
    RoleAssignment.objects.create(user=resident, role=PlatformRole.COORDINATOR)
    Membership.objects.create(user=resident, organisation=organisation, role=MembershipRole.ADMIN)
    store = _signed_in(resident)
    assert Session.objects.get(pk=store.session_key).user_id == resident.pk

    loaded = SessionStore(store.session_key)
    with django_assert_num_queries(1):
        assert loaded[SESSION_KEY] == str(resident.pk)
        assert loaded.person == resident
        assert loaded.person.email == resident.email
        assert user_platform_roles(loaded.person) == {PlatformRole.COORDINATOR}
        assert organisation_roles(loaded.person) == {organisation.pk: MembershipRole.ADMIN}


def test_a_signed_in_page_reads_session_person_and_roles_in_one_query(
    client, member, organisation, django_assert_num_queries
):
    client.force_login(member)
    client.get("/fi/accessibility/")  # the page's own reads warm up (reference data)
    with django_assert_num_queries(1):
        response = client.get("/fi/accessibility/")
    assert response.status_code == 200
    assert response.context["user"] == member


def test_a_changed_password_still_ends_the_other_sessions(client, resident):
    client.force_login(resident)
    assert client.get("/fi/account/settings/").status_code == 200
    resident.set_password("Uusi-salasana-2026")
    resident.save()
    assert client.get("/fi/account/settings/").status_code == 302  # signed out: the hash


def test_erasing_a_person_deletes_their_signed_in_sessions(resident):
    store = _signed_in(resident)
    resident.delete()
    assert not Session.objects.filter(pk=store.session_key).exists()


def test_a_session_naming_no_one_saves_and_reads_as_signed_out(client, resident):
    store = SessionStore()
    store[SESSION_KEY] = "987654321"  # erased meanwhile, or never there
    store[BACKEND_SESSION_KEY] = "digikunta.accounts.backends.AuthenticationBackend"
    store.save()  # no constraint to fail on
    assert SessionStore(store.session_key).person is None
    client.cookies["sessionid"] = store.session_key
    assert client.get("/fi/account/settings/").status_code == 302  # to the login page
