"""The audit trail in the admin site: read only, for superusers too."""

import pytest

from digikunta.accounts.tests.factories import UserFactory
from digikunta.audit.models import AuditAction, AuditEvent
from digikunta.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_no_one_deletes_an_audit_event_in_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True, totp=True)
    audit_record(action=AuditAction.ROLE_GRANTED, actor=admin, subject=admin, role="expert")
    event = AuditEvent.objects.get()
    client.force_login(admin)
    response = client.post(f"/en/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
