"""Writing the audit trail."""

from typing import Any

from django.db import models

from digikunta.audit.models import AuditAction, AuditEvent


def audit_record(
    *,
    action: AuditAction,
    actor: Any = None,
    subject: Any = None,
    target: models.Model | str = "",
    **data: Any,
) -> AuditEvent:
    """Record a security event. ``data`` holds ids and small facts, never free text."""
    if isinstance(target, models.Model):
        target = f"{target._meta.label_lower}:{target.pk}"
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject=subject,
        target=target,
        data=data,
    )
