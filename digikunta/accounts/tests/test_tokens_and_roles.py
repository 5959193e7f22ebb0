"""Personal API tokens, platform roles and the admin commands around them."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digikunta.accounts.models import ApiToken, RoleAssignment, User, hash_token
from digikunta.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_only_its_hash_is_stored(client, resident):
    client.force_login(resident)
    response = client.post("/en/account/settings/tokens/", {"name": "Kunnan CRM"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("dk_") and raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=resident)
    assert token.digest == hash_token(raw) and raw not in (token.digest, token.hint)
    again = client.get("/en/account/settings/tokens/")
    assert raw not in again.content.decode()
    assert "Kunnan CRM" in again.content.decode()


def test_token_without_a_name_is_refused_with_a_message(client, resident):
    client.force_login(resident)
    response = client.post("/fi/account/settings/tokens/", {"name": ""})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoked_token_stops_working(client, resident):
    client.force_login(resident)
    raw = client.post("/en/account/settings/tokens/", {"name": "x"}).context["new_token"]
    token = ApiToken.objects.get()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.post(f"/en/account/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).exists()


def test_nobody_revokes_another_persons_token(client, resident, outsider):
    client.force_login(resident)
    client.post("/en/account/settings/tokens/", {"name": "mine"})
    token = ApiToken.objects.get()
    client.force_login(outsider)
    assert client.post(f"/en/account/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_token_create_command_prints_the_token_alone_on_its_last_line(resident):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", resident.email, stdout=out, stderr=err)
    raw = out.getvalue().strip().splitlines()[-1]
    assert raw.startswith("dk_") and " " not in raw
    assert ApiToken.objects.get(user=resident).digest == hash_token(raw)


def test_token_create_command_refuses_an_unknown_address():
    with pytest.raises(CommandError, match="No account"):
        call_command("token", "create", "nobody@example.fi")


def test_role_command_grants_and_revokes_with_an_audit_trail(resident):
    call_command("role", "grant", resident.email, "reviewer", stdout=io.StringIO())
    assert RoleAssignment.objects.filter(user=resident, role="reviewer").exists()
    call_command("role", "grant", resident.email, "reviewer", stdout=io.StringIO())  # idempotent
    assert RoleAssignment.objects.filter(user=resident).count() == 1
    call_command("role", "revoke", resident.email, "reviewer", stdout=io.StringIO())
    assert not RoleAssignment.objects.filter(user=resident).exists()
    actions = list(AuditEvent.objects.filter(subject=resident).values_list("action", flat=True))
    assert sorted(actions) == [AuditAction.ROLE_GRANTED, AuditAction.ROLE_REVOKED]


def test_console_script_creates_a_superuser_from_the_environment(tmp_path):
    """`digikunta createsuperuser --noinput` reads DJANGO_SUPERUSER_EMAIL and _PASSWORD."""
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digikunta.settings.base",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SUPERUSER_EMAIL": "Admin@Example.fi",
        "DJANGO_SUPERUSER_PASSWORD": "pitka-ja-vahva-salasana",
    }
    script = os.path.join(os.path.dirname(sys.executable), "digikunta")
    subprocess.run([script, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    result = subprocess.run(
        [script, "createsuperuser", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [
            script,
            "shell",
            "-c",
            "from digikunta.accounts.models import User; u = User.objects.get(); "
            "print(u.email, u.is_superuser, u.password.split('$')[0])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.stdout.strip().splitlines()[-1].split() == ["admin@example.fi", "True", "argon2"]


def test_emails_are_stored_in_lower_case_and_unique_regardless_of_case():
    User.objects.create_user("Maija@Example.FI", "x" * 12)
    assert User.objects.filter(email="maija@example.fi").exists()
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the duplicate
        User.objects.create(email="MAIJA@example.fi")
