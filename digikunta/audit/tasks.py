"""Periodic jobs of the audit log, as tasks (core/tasks.py); `digikunta purge_audit` runs or
queues them."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from digikunta.audit.models import AuditEvent
from digikunta.core.tasks import task_with_retries


def expired_events_delete() -> int:
    """Delete audit events older than AUDIT_RETENTION_DAYS; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _details = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


@task_with_retries()
def purge_audit() -> int:
    """Task: expired_events_delete."""
    return expired_events_delete()
