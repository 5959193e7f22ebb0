import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from digikunta.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_purge_deletes_only_events_past_the_retention_period(settings, resident):
    settings.AUDIT_RETENTION_DAYS = 30
    old = AuditEvent.objects.create(action=AuditAction.LOGIN, subject=resident)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = AuditEvent.objects.create(action=AuditAction.LOGIN, subject=resident)
    out = io.StringIO()
    call_command("purge_audit", stdout=out)
    assert "Deleted 1 audit events" in out.getvalue()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_organisation_changes_are_audited_with_the_fields_changed(client, organisation, org_admin):
    client.force_login(org_admin)
    client.post(
        f"/fi/organisations/{organisation.slug}/edit/",
        {
            "kind": organisation.kind,
            "name": organisation.name,
            "website": "https://uusi.example.fi",
            "description_language": "fi",
        },
    )
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert event.actor == org_admin
    assert event.data == {"fields": ["website"]}
