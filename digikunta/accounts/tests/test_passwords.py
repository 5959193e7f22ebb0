"""Passwords are checked against common words and passwords, Finnish and Swedish included."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from digikunta.accounts.models import User
from digikunta.accounts.passwords import CommonWordValidator, password_cores
from digikunta.accounts.tests.factories import PASSWORD
from digikunta.demo.people import DEMO_PASSWORD

WEAK = ["Salasana12", "salasana123", "Lösenord2024!", DEMO_PASSWORD, "Kuopio2026"]
MESSAGE = "This password is a common word or password with a few characters added"


@pytest.mark.parametrize(
    "password",
    [*WEAK, "S4l4s4n4!", "P@ssw0rd2024", "Qwerty123456", "1qaz2wsx!!", "Helsingfors2025"],
)
def test_a_common_word_with_digits_and_symbols_around_it_is_refused(password):
    with pytest.raises(ValidationError) as error:
        CommonWordValidator().validate(password)
    assert error.value.code == "password_common_word"


@pytest.mark.parametrize(
    "password", ["tiikeri kahvikuppi pilvi", "Kevät-aamu-kahvi-42", "mitä-kuuluu-norsulle"]
)
def test_a_passphrase_of_unrelated_words_is_accepted(password):
    CommonWordValidator().validate(password)


def test_the_core_of_a_password_ignores_case_accents_leetspeak_and_what_is_around_it():
    assert "losenord" in password_cores("L0SENORD!!2024")
    assert "digikuntademo" in password_cores("Digikunta-demo-2026")


@pytest.mark.django_db
def test_the_configured_validators_refuse_the_demo_password():
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match=MESSAGE):
        validate_password(DEMO_PASSWORD)


def signup(client, password):
    return client.post(
        "/en/account/signup/",
        {"email": "uusi@example.fi", "password1": password, "password2": password},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("password", WEAK)
def test_signup_refuses_a_common_password_with_a_message(client, password):
    response = signup(client, password)
    assert response.status_code == 422
    assert MESSAGE in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_accepts_a_strong_passphrase(client):
    assert signup(client, "tiikeri kahvikuppi pilvi").status_code == 302
    assert User.objects.filter(email="uusi@example.fi").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("password", WEAK)
def test_password_change_refuses_a_common_password_with_a_message(client, resident, password):
    client.force_login(resident)
    response = client.post(
        "/en/account/password/change/",
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    assert response.status_code == 422
    assert MESSAGE in response.content.decode()
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_accepts_a_strong_passphrase(client, resident):
    client.force_login(resident)
    new = "tiikeri kahvikuppi pilvi"
    response = client.post(
        "/en/account/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(new)
