"""Security baseline: CSP without inline code, frame protection, deploy checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.BASE_DIR)]


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/fi/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_scripts_or_styles():
    offenders = []
    for path in Path(settings.BASE_DIR).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and 'type="application/json"' not in match.group(1):
                offenders.append(f"{path}: inline <script>")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{path}: inline style")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: inline event handler")
    assert offenders == []


def test_pages_load_nothing_from_other_sites(client):
    for url in ["/fi/", "/fi/account/login/", "/fi/municipalities/", "/fi/open-data/api/"]:
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="https://', "")), url


def test_login_form_is_protected_against_csrf():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/fi/account/login/", {"login": "a@example.fi", "password": "x"})
    assert response.status_code == 403


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digikunta.settings.production",
        "SECRET_KEY": "k" * 60 + "-production-like-secret-with-enough-variety-1234567890",
        "ALLOWED_HOSTS": "digikunta.example.fi",
        "DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.PROJECT_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "digikunta.settings.production", "DEBUG": "0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.PROJECT_DIR,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_passwords_are_hashed_with_argon2_in_production():
    from digikunta.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_security_txt_tells_whom_to_report_to_and_expires_within_a_year(client):
    from datetime import datetime, timedelta

    from django.utils import timezone

    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == settings.SECURITY_CONTACT
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)
    assert fields["Preferred-Languages"] == "fi, sv, en"
    assert fields["Canonical"].endswith("/.well-known/security.txt")


def test_a_signed_in_page_is_never_stored_by_the_browser(client, member):
    client.force_login(member)
    for url in ["/fi/", "/fi/experiments/", "/fi/account/settings/"]:
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_an_api_answer_to_a_token_is_never_stored(client, member):
    from digikunta.accounts.services import token_create

    token = token_create(user=member, name="t")[1]
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "no-store" in response["Cache-Control"]


def test_a_changed_password_is_told_to_the_person_by_email(client, member, mailoutbox):
    member.set_password("vanha-salalause-kolme-sanaa")
    member.save()
    client.force_login(member)
    response = client.post(
        "/en/account/password/change/",
        {
            "oldpassword": "vanha-salalause-kolme-sanaa",
            "password1": "uusi pitkä salalause järven rannalla",
            "password2": "uusi pitkä salalause järven rannalla",
        },
    )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "password" in mailoutbox[0].subject.lower()


def test_production_cookies_carry_the_host_prefix():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digikunta.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "digikunta.example.fi",
    }
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["__Host-sessionid", "__Host-csrftoken"]


def test_htmx_keeps_no_page_snapshots_in_browser_storage(client):
    page = client.get("/fi/casebank/").content.decode()
    assert '"historyCacheSize": 0' in page
