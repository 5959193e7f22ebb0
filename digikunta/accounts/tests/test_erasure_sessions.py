"""Erasure ends every session of the person and leaves no session row naming them."""

import json

import pytest
from django.test import Client
from django.utils.http import int_to_base36

from digikunta.accounts.models import Session
from digikunta.accounts.tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from digikunta.demo.people import current_code

pytestmark = pytest.mark.django_db


def decoded_sessions():
    return [row.get_decoded() for row in Session.objects.all()]


def naming(person_id, email):
    """Decoded session rows that hold the person's e-mail address or id."""
    ids = {str(person_id), int_to_base36(person_id)}  # allauth writes ids in base 36
    found = []
    for data in decoded_sessions():
        text = json.dumps(data, default=str)
        login = data.get("account_login") or {}
        if (
            email in text.casefold()
            or data.get("_auth_user_id") in ids
            or data.get("account_authentication_methods_user") in ids
            or login.get("user_pk") in ids
        ):
            found.append(data)
    return found


def test_erasure_signs_out_every_device_and_leaves_no_session_naming_the_person(
    client, django_user_model
):
    person = UserFactory(email="poistuva@example.fi", totp=True)
    person_id, email = person.pk, person.email
    bystander = UserFactory()
    laptop, phone, half_way = client, Client(), Client()
    for device in (laptop, half_way):
        assert (
            device.post("/fi/account/login/", {"login": email, "password": PASSWORD}).status_code
            == 302
        )
    # The laptop finishes with its TOTP code; the other login waits at the code (anonymous).
    laptop.post("/fi/account/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    phone.force_login(person)
    Client().force_login(bystander)
    assert phone.get("/fi/account/settings/").status_code == 200
    assert naming(person_id, email)  # the login records and the pending login name them

    response = laptop.post("/fi/account/settings/data/erase/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not django_user_model.objects.filter(pk=person_id).exists()
    assert naming(person_id, email) == []
    assert phone.get("/fi/account/settings/")["Location"].startswith("/fi/account/login/")
    # Someone else's session is left alone.
    assert any(d.get("_auth_user_id") == str(bystander.pk) for d in decoded_sessions())


def test_a_login_keeps_no_email_address_in_its_session(client, resident):
    client.post("/fi/account/login/", {"login": resident.email, "password": PASSWORD})
    assert client.get("/fi/account/settings/").status_code == 200
    text = json.dumps(dict(client.session.items()), default=str)
    assert resident.email not in text
    assert client.session["account_authentication_methods"][0]["method"] == "password"


def test_erasure_removes_a_pending_sign_up_of_the_same_address(client, resident):
    """A second sign-up with the person's address leaves a stash naming them in an anonymous
    session; erasure removes it too."""
    other = Client()
    other.post(
        "/fi/account/signup/",
        {
            "email": resident.email,
            "password1": "tiikeri kahvikuppi pilvi",
            "password2": "tiikeri kahvikuppi pilvi",
        },
    )
    client.force_login(resident)
    client.post("/fi/account/settings/data/erase/", {"password": PASSWORD})
    assert naming(resident.pk, resident.email) == []
