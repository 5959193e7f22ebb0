"""Personal data: every place is declared, exported and erased."""

import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import PASSWORD
from digikunta.audit.models import AuditAction, AuditEvent
from digikunta.core import privacy
from digikunta.organisations.models import Membership

pytestmark = pytest.mark.django_db


def test_every_model_that_points_to_a_person_declares_its_personal_data():
    user_model = get_user_model()
    declared = {model._meta.label_lower for model, _owners, _fields in privacy.registry()}
    undeclared = []
    for model in apps.get_models():
        label = model._meta.label_lower
        points_to_person = any(
            getattr(field, "related_model", None) is user_model
            for field in model._meta.get_fields()
            if field.concrete
        )
        if (
            points_to_person or model is user_model
        ) and label not in declared | privacy.NOT_PERSONAL:
            undeclared.append(label)
    # Django's own many-to-many tables for groups and permissions go with the user row.
    assert [u for u in undeclared if not u.startswith(("accounts.user_", "auth."))] == []


def test_export_holds_everything_about_the_person_and_nothing_secret(client, member, organisation):
    token_create(user=member, name="Kunnan järjestelmä")
    client.force_login(member)
    response = client.post("/en/account/settings/data/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)["data"]
    assert data["accounts.user"][0]["email"] == member.email
    assert data["organisations.membership"][0]["organisation"] == organisation.pk
    assert data["accounts.apitoken"][0]["name"] == "Kunnan järjestelmä"
    assert data["account.emailaddress"][0]["email"] == member.email
    text = response.content.decode()
    assert "digest" not in text and "password" not in text
    assert AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED, subject=member).exists()


def test_export_does_not_leak_other_people(client, member, resident):
    client.force_login(member)
    text = client.post("/en/account/settings/data/export/").content.decode()
    assert resident.email not in text


def test_export_needs_a_post(client, member):
    client.force_login(member)
    assert client.get("/en/account/settings/data/export/").status_code == 405


def test_erasure_with_the_wrong_password_changes_nothing(client, member):
    client.force_login(member)
    response = client.post("/en/account/settings/data/erase/", {"password": "wrong"})
    assert response.status_code == 422
    assert "password is not right" in response.content.decode()
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_erasure_leaves_no_trace_of_the_person_in_the_database(client, member, organisation):
    token_create(user=member, name="x")
    client.post("/fi/account/login/", {"login": member.email, "password": "wrong"})
    client.force_login(member)
    email, name, pk = member.email, member.name, member.pk
    response = client.post("/en/account/settings/data/erase/", {"password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    dump = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=dump)
    assert email not in dump.getvalue()
    assert name not in dump.getvalue()
    # The audit trail keeps the events, but not who they were about.
    assert AuditEvent.objects.filter(
        action=AuditAction.ERASED, target=f"accounts.user:{pk}"
    ).exists()
    assert not AuditEvent.objects.filter(subject_id=pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, subject=None).exists()


def test_the_last_admin_of_an_organisation_must_name_another_before_erasure(
    client, org_admin, organisation
):
    client.force_login(org_admin)
    response = client.post("/en/account/settings/data/erase/", {"password": PASSWORD})
    assert response.status_code == 422
    assert organisation.name in response.content.decode()
    assert get_user_model().objects.filter(pk=org_admin.pk).exists()
