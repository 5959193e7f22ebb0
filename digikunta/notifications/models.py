"""What each person chose for each kind of notification, and what waits for their digest."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", pgettext_lazy("notification frequency", "Immediately")
    DAILY = "daily", pgettext_lazy("notification frequency", "In a daily digest")
    OFF = "off", pgettext_lazy("notification frequency", "Off")


CHOOSE_FREQUENCY = _("Choose immediately, in a daily digest or off for each notification.")


class Preference(models.Model):
    """How often a person wants one kind of notification. No row: the kind's default. The
    kind ``all`` (kinds.ALL), written by an unsubscribe link for every kind, stands for every
    kind the person has no row of, including kinds added later (ADR 0019)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choices"
    )
    kind = models.CharField(_("kind"), max_length=50)
    frequency = models.CharField(_("how often"), max_length=12, choices=Frequency.choices)

    personal_fields = ("kind", "frequency")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_choice_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.frequency}"


class Notification(models.Model):
    """One thing to tell a person in their next daily digest; pending while ``digested_at`` is
    empty. It holds the template and parameters, not rendered text, so the digest is written
    in the person's language of that day. Digested rows are deleted after
    NOTIFICATION_RETENTION_DAYS (tasks.send_digests)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    template = models.CharField(max_length=200)
    params = models.JSONField(default=dict)
    # [URL name, [arguments]] of the page the notification links to, or null.
    link = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    digested_at = models.DateTimeField(null=True, blank=True)

    personal_fields = ("kind", "template", "params", "link", "created_at", "digested_at")

    class Meta:
        indexes = [
            # The digest's scheduler reads who has something pending, in id order.
            models.Index(
                fields=["user"],
                condition=models.Q(digested_at__isnull=True),
                name="notification_pending",
            ),
            models.Index(fields=["digested_at"], name="notification_digested"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d}"


class Delivery(models.Model):
    """A ``services.deliver`` under way: how many chunks of its recipients are done. Each chunk
    commits with its count, so a task tried again after a failure halfway goes on from there
    instead of mailing the first thousands again (a flood of our own). Deleted when the
    delivery ends; ``key`` is a digest of what is delivered, nothing personal."""

    key = models.CharField(max_length=64, unique=True)
    chunks_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key[:8]}: {self.chunks_done}"
