"""Security events raised by Django, allauth and core (backups), written to the audit trail."""

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from digikunta.audit.models import AuditAction
from digikunta.audit.services import audit_record
from digikunta.core import signals as core_signals


@receiver(auth_signals.user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.LOGIN, actor=user, subject=user)


@receiver(auth_signals.user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and user.pk is not None:  # an erased account has no row left
        audit_record(action=AuditAction.LOGOUT, actor=user, subject=user)


@receiver(auth_signals.user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The typed address is not stored: it may be someone else's. Only a known account is linked.
    email = credentials.get("email") or credentials.get("username") or ""
    subject = get_user_model().objects.filter(email__iexact=email).first() if email else None
    audit_record(action=AuditAction.LOGIN_FAILED, subject=subject)


@receiver(account_signals.user_signed_up)
def on_signup(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.SIGNUP, actor=user, subject=user)


@receiver(account_signals.email_confirmed)
def on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.EMAIL_CONFIRMED, subject=email_address.user)


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=user, subject=user)


@receiver(account_signals.password_reset)
def on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.PASSWORD_RESET, subject=user)


@receiver(mfa_signals.authenticator_added)
def on_mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.MFA_ENABLED, actor=user, subject=user, kind=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def on_mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.MFA_DISABLED, actor=user, subject=user, kind=authenticator.type)


@receiver(core_signals.backup_started)
def on_backup(sender: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.BACKUP)


@receiver(core_signals.backup_restored)
def on_restore(sender: Any, created_at: str, **kwargs: Any) -> None:
    audit_record(action=AuditAction.RESTORE, created_at=created_at)
