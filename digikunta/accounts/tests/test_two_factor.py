"""Staff roles must use TOTP; login then asks for the code."""

import pytest
from allauth.mfa.models import Authenticator

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from digikunta.demo.people import current_code
from digikunta.organisations.models import MembershipRole
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", [PlatformRole.COORDINATOR, PlatformRole.REVIEWER, PlatformRole.MODERATOR]
)
def test_staff_role_without_an_authenticator_is_sent_to_set_one_up(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    response = client.get("/fi/organisations/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/account/2fa/totp/activate/"


def test_organisation_admin_without_an_authenticator_is_sent_to_set_one_up(client, organisation):
    user = UserFactory()
    MembershipFactory(organisation=organisation, user=user, role=MembershipRole.ADMIN)
    client.force_login(user)
    assert client.get("/fi/account/settings/")["Location"] == "/fi/account/2fa/totp/activate/"


def test_residents_and_experts_are_not_forced(client, resident, expert):
    for user in (resident, expert):
        client.force_login(user)
        assert client.get("/fi/account/settings/").status_code == 200


def test_setting_up_totp_lifts_the_requirement_and_is_audited(
    client, django_capture_on_commit_callbacks
):
    from allauth.core.context import request_context

    from digikunta.audit.models import AuditAction, AuditEvent

    user = UserFactory(roles=[PlatformRole.COORDINATOR])
    login = client.post("/fi/account/login/", {"login": user.email, "password": PASSWORD})
    assert login.status_code == 302
    assert client.get(login["Location"])["Location"] == "/fi/account/2fa/totp/activate/"
    # Turning on two-factor asks for the password once more (allauth's reauthentication).
    reauth = client.get("/fi/account/2fa/totp/activate/")
    assert reauth["Location"].startswith("/fi/account/reauthenticate/")
    assert client.post(reauth["Location"], {"password": PASSWORD}).status_code == 302
    page = client.get("/fi/account/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/fi/account/2fa/totp/activate/", {"code": current_code(secret)})
    # In a real request the callbacks run before it ends; allauth's e-mail needs the request.
    with request_context(response.wsgi_request):
        for callback in callbacks:
            callback()
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/fi/organisations/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ENABLED, subject=user).exists()


def test_login_with_totp_asks_for_the_code(client):
    user = UserFactory(roles=[PlatformRole.COORDINATOR], totp=True)
    response = client.post("/fi/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/fi/account/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/fi/account/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 422
    response = client.post("/fi/account/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_site_administrators_must_use_two_factor_too(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/fi/")["Location"] == "/fi/account/2fa/totp/activate/"


def test_the_admin_site_logs_in_through_the_same_door(client):
    response = client.get("/fi/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/account/login/")


def test_the_api_is_not_redirected_for_staff_without_an_authenticator(client):
    client.force_login(UserFactory(roles=[PlatformRole.MODERATOR]))
    assert client.get("/api/v1/municipalities/091").status_code == 200
