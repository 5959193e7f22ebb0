"""Sign-up with e-mail verification, login, throttling, password reset: the client's view."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from digikunta.accounts.models import User
from digikunta.accounts.tests.factories import PASSWORD, UserFactory
from digikunta.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def signup(client, email="uusi@example.fi", password="vahva-salasana-123", language="fi"):
    return client.post(
        f"/{language}/account/signup/",
        {"email": email, "password1": password, "password2": password},
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/account/confirm-email/\S+/)", message.body).group(1)


def test_signup_sends_a_verification_email_in_the_users_language(client):
    response = signup(client, language="sv")
    assert response.status_code == 302
    user = User.objects.get(email="uusi@example.fi")
    assert user.language == "sv"
    assert user.password.startswith("md5$")  # test hasher; production uses Argon2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["uusi@example.fi"]
    assert "Bekräfta" in message.subject or "bekräfta" in message.body.lower()
    assert "/sv/account/confirm-email/" in message.body


def test_account_cannot_log_in_before_the_address_is_verified(client):
    signup(client)
    client.logout()
    response = client.post(
        "/fi/account/login/", {"login": "uusi@example.fi", "password": "vahva-salasana-123"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/account/confirm-email/")
    assert "_auth_user_id" not in client.session


def test_verification_link_verifies_and_logs_in(client):
    signup(client)
    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200  # a confirmation page, not a GET side effect
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="uusi@example.fi").verified
    assert client.get("/fi/account/settings/").status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.SIGNUP, AuditAction.EMAIL_CONFIRMED, AuditAction.LOGIN} <= actions


def test_signup_with_a_weak_password_keeps_the_email_and_says_what_is_wrong(client):
    response = signup(client, password="1234")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="uusi@example.fi"' in html
    assert "error-summary" in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


def test_signup_with_a_taken_address_reveals_nothing_but_tells_the_owner(client, resident):
    # Same answer as a new sign-up, so nobody learns who has an account; the owner gets a note.
    response = signup(client, email=resident.email.upper())
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=resident.email).count() == 1
    assert mail.outbox[0].to == [resident.email]
    assert "/account/confirm-email/" not in mail.outbox[0].body


def test_login_with_email_and_password(client, resident):
    response = client.post("/fi/account/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == resident.pk
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=resident).exists()


def test_failed_login_is_audited_without_the_typed_address(client, resident):
    response = client.post("/fi/account/login/", {"login": resident.email, "password": "wrong"})
    assert response.status_code == 422
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.subject == resident
    assert resident.email not in str(event.data)


def test_repeated_failed_logins_are_throttled(client, resident):
    statuses = [
        client.post(
            "/fi/account/login/", {"login": resident.email, "password": "wrong"}
        ).status_code
        for _attempt in range(7)
    ]
    assert statuses[:5] == [422] * 5
    assert 429 in statuses[5:]
    # Even the right password is refused while the account is throttled.
    response = client.post("/fi/account/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(client, resident):
    response = client.post("/en/account/password/reset/", {"email": resident.email})
    assert response.status_code == 302
    assert mail.outbox[0].to == [resident.email]
    link = re.search(
        r"https?://[^/\s]+(/\S+/account/password/reset/key/\S+/)", mail.outbox[0].body
    ).group(1)
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key into the session
    response = client.post(
        response["Location"],
        {"password1": "uusi-vahva-salasana", "password2": "uusi-vahva-salasana"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("uusi-vahva-salasana")
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET, subject=resident).exists()


def test_password_reset_for_an_unknown_address_reveals_nothing(client, resident):
    known = client.post("/en/account/password/reset/", {"email": resident.email})
    mail.outbox.clear()
    unknown = client.post("/en/account/password/reset/", {"email": "nobody@example.fi"})

    # The asker sees the same answer whether or not the address has an account...
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    # ...and whatever is sent goes only to the address itself, with no link to reset.
    assert all(m.to == ["nobody@example.fi"] for m in mail.outbox)
    assert not any("/password/reset/key/" in m.body for m in mail.outbox)


def test_unverified_factory_user_helper_is_really_unverified():
    user = UserFactory(verified=False)
    assert not EmailAddress.objects.filter(user=user).exists()
