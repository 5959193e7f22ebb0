"""Writes about people: roles, API tokens, data export and erasure."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import ApiToken, PlatformRole, RoleAssignment, User, hash_token
from digikunta.accounts.selectors import forget
from digikunta.accounts.sessions import sessions_end
from digikunta.audit.models import AuditAction
from digikunta.audit.services import audit_record
from digikunta.core import privacy


def role_grant(*, user: User, role: str, by: Any = None) -> RoleAssignment:
    """Give ``user`` a platform role; idempotent. Staff roles then require two-factor login."""
    if role not in PlatformRole.values:
        raise ValidationError(_("Choose one of the platform roles."), code="invalid_role")
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, defaults={"granted_by": by if by and by.pk else None}
        )
        if created:
            audit_record(action=AuditAction.ROLE_GRANTED, actor=by, subject=user, role=role)
    _forget_roles(user)
    return assignment


def role_revoke(*, user: User, role: str, by: Any = None) -> bool:
    """Take a platform role away; returns False when the person did not hold it."""
    with transaction.atomic():
        deleted, _count = RoleAssignment.objects.filter(user=user, role=role).delete()
        if deleted:
            audit_record(action=AuditAction.ROLE_REVOKED, actor=by, subject=user, role=role)
    _forget_roles(user)
    return bool(deleted)


def _forget_roles(user: User) -> None:
    """Roles are cached on the user object for one request only; drop this object's copy so
    that a change is seen at once, even by code still holding the object."""
    forget(user, "_platform_roles", "_review_assignments")


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. The raw token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the token.")}, code="required")
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], digest=hash_token(raw), hint=raw[:8]
        )
        audit_record(action=AuditAction.TOKEN_CREATED, actor=user, subject=user, target=token)
    return token, raw


def token_revoke(*, token: ApiToken, by: User) -> None:
    with transaction.atomic():
        audit_record(action=AuditAction.TOKEN_REVOKED, actor=by, subject=token.user, target=token)
        token.delete()


def token_authenticate(raw: str) -> User | None:
    """The active owner of a raw token, or None. Marks the token used (at most once a minute)."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_export(*, user: User) -> dict[str, Any]:
    """Everything we hold about a person, as JSON-ready data (GDPR art. 15 and 20)."""
    data = privacy.collect(user)
    audit_record(action=AuditAction.DATA_EXPORTED, actor=user, subject=user)
    return data


def user_erase(*, user: User, by: Any = None) -> None:
    """Erase a person (GDPR art. 17): their account and personal rows go; content they wrote is
    kept without their name where others depend on it; the audit trail keeps only the event.
    Every session that names them ends, on every device (issue 8)."""
    from digikunta.organisations.services import organisations_left_without_admin

    orphans = organisations_left_without_admin(user)
    if orphans:
        names = ", ".join(o.display_name for o in orphans)
        raise ValidationError(
            _("You are the only administrator of %(names)s; name another administrator first.")
            % {"names": names},
            code="last_admin",
        )
    user_id = user.pk
    actor = by if by is not None and by.pk != user_id else None
    with transaction.atomic():
        sessions_end(user)
        privacy.erase(user)
        audit_record(action=AuditAction.ERASED, actor=actor, target=f"accounts.user:{user_id}")
