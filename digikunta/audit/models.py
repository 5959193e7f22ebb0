"""The audit trail of security events."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logged out")
    SIGNUP = "signup", _("signed up")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    PASSWORD_RESET = "password_reset", _("password reset")
    EMAIL_CONFIRMED = "email_confirmed", _("e-mail address confirmed")
    MFA_ENABLED = "mfa_enabled", _("two-factor authentication turned on")
    MFA_DISABLED = "mfa_disabled", _("two-factor authentication turned off")
    ROLE_GRANTED = "role_granted", _("role granted")
    ROLE_REVOKED = "role_revoked", _("role revoked")
    MEMBERSHIP_CHANGED = "membership_changed", _("membership changed")
    ORGANISATION_CHANGED = "organisation_changed", _("organisation details changed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    DATA_EXPORTED = "data_exported", _("personal data exported")
    ERASED = "erased", _("account erased")
    BACKUP = "backup", _("backup taken")
    RESTORE = "restore", _("backup restored")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("reviewer assigned")
    FUNDING_DECIDED = "funding_decided", _("funding decision made")
    PAYMENT_RECORDED = "payment_recorded", _("payment recorded")
    CONTENT_HIDDEN = "content_hidden", _("content hidden by a moderator")
    CONTENT_RESTORED = "content_restored", _("content restored by a moderator")
    REPORTS_DISMISSED = "reports_dismissed", _("reports dismissed by a moderator")
    ACCOUNT_BLOCKED = "account_blocked", _("account blocked")
    ACCOUNT_UNBLOCKED = "account_unblocked", _("account block lifted")


class AuditEvent(models.Model):
    """Who did what to whom, when. No IP addresses or free text: ids and small facts only."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("event"), max_length=30, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events_about",
        verbose_name=_("person concerned"),
    )
    target = models.CharField(_("target"), max_length=100, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    personal_fields = ("at", "action", "target", "data")
    personal_owner = ("actor", "subject")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
