"""Moderation (issue 11, item 8): reports of content, the moderators' actions on content and
accounts, and the blocks of accounts.

Content that can be moderated mixes in ``Moderated`` and is registered (registry.py); it is
hidden in place ("Hidden by the moderators: <reason>") and left out of lists, search, exports
and the API by its own app, which filters with ``VISIBLE`` or ``.visible()``.
"""

from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The public reason shown in place of hidden content, and a block's reason.
REASON_CHARS = 500
DETAILS_CHARS = 2000

# The rows a list, the search, an export or the API shows: not hidden by the moderators.
VISIBLE = Q(hidden_at__isnull=True)

M = TypeVar("M", bound=models.Model)


class ModeratedQuerySet(models.QuerySet[M]):
    """``.visible()`` and ``.hidden()`` for a moderated model's manager:
    ``objects = ModeratedQuerySet["Comment"].as_manager()``, or a subclass of it."""

    def visible(self) -> "ModeratedQuerySet[M]":
        return self.filter(VISIBLE)

    def hidden(self) -> "ModeratedQuerySet[M]":
        return self.exclude(VISIBLE)


class Moderated(models.Model):
    """Content that anyone may report and the moderators may hide. Hiding keeps the row and
    its place (a thread keeps its shape); ``hidden_reason`` is shown in its stead."""

    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, db_index=True)
    hidden_reason = models.CharField(
        _("reason for hiding"),
        max_length=REASON_CHARS,
        blank=True,
        help_text=_("Shown to everyone in place of the content."),
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReportReason(models.TextChoices):
    SPAM = "spam", _("spam or advertising")
    HARASSMENT = "harassment", _("harassment or hate speech")
    PERSONAL_DATA = "personal_data", _("someone's personal data")
    ILLEGAL = "illegal", _("illegal content")
    OFF_TOPIC = "off_topic", _("off topic")
    OTHER = "other", _("something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("waiting for the moderators")
    UPHELD = "upheld", _("content hidden")
    DISMISSED = "dismissed", _("dismissed")


class Report(models.Model):
    """A signed-in person's report of one item of moderated content, with a reason. One open
    report per person and item (a constraint, so that it holds also when sent twice at once);
    hiding the item upholds its open reports, dismissing it dismisses them."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(
        _("details for the moderators"),
        max_length=DETAILS_CHARS,
        blank=True,
        help_text=_("What is wrong with it, in a sentence or two. Only the moderators read this."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    # The reporter's, in their export; erasing them keeps the report, unsigned (the item's
    # record stays whole). Who handled it is not the reporter's data.
    personal_owner = ("reporter",)
    personal_fields = (
        "content_type",
        "object_id",
        "reason",
        "details",
        "status",
        "created_at",
        "handled_at",
    )

    class Meta:
        # Translators: a report of content to the moderators (fi "ilmianto"), not a funding report.
        verbose_name = pgettext_lazy("moderation", "report")
        verbose_name_plural = pgettext_lazy("moderation", "reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"],
                condition=Q(status="open"),
                name="one_open_report_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["status", "content_type", "object_id"], name="report_queue_idx"),
            models.Index(fields=["reporter", "created_at"], name="report_reporter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.reason} ({self.status})"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("hid the content")
    RESTORE = "restore", _("restored the content")
    DISMISS = "dismiss", _("dismissed the reports")
    BLOCK = "block", _("blocked the account")
    UNBLOCK = "unblock", _("lifted the block")


CONTENT_ACTIONS = (ActionKind.HIDE, ActionKind.RESTORE, ActionKind.DISMISS)
ACCOUNT_ACTIONS = (ActionKind.BLOCK, ActionKind.UNBLOCK)


class ModerationAction(models.Model):
    """One thing a moderator did, kept as the moderation log: every hide, restore, dismissal,
    block and unblock, with its reason. The audit trail records each too, without the text."""

    action = models.CharField(_("action"), max_length=10, choices=ActionKind.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    content = GenericForeignKey("content_type", "object_id")
    # The account blocked or unblocked, or the author of the content.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    reason = models.CharField(_("reason"), max_length=REASON_CHARS, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    # In the export of the person concerned and of the moderator, as the audit trail's events;
    # erasing either keeps the row without them.
    personal_owner = ("user", "moderator")
    personal_fields = ("action", "content_type", "object_id", "reason", "created_at")

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in ACCOUNT_ACTIONS])
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="moderation_action_names_its_content",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="action_content_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class AccountBlockQuerySet(models.QuerySet["AccountBlock"]):
    def active(self) -> "AccountBlockQuerySet":
        return self.filter(lifted_at__isnull=True)


class AccountBlock(models.Model):
    """A block of an account by the moderators: it may read and sign in, but not post, report
    or edit what it wrote until the block is lifted. One block in force per person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="blocks",
        verbose_name=_("person"),
    )
    reason = models.CharField(
        _("reason"),
        max_length=REASON_CHARS,
        help_text=_("Shown to the person when they try to post."),
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("blocked by"),
    )
    blocked_at = models.DateTimeField(_("blocked at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    objects = AccountBlockQuerySet.as_manager()

    # The blocked person's; erasing them erases their blocks. Who blocked is not their data.
    personal_fields = ("reason", "blocked_at", "lifted_at")

    class Meta:
        verbose_name = _("account block")
        verbose_name_plural = _("account blocks")
        ordering = ["-blocked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(lifted_at__isnull=True),
                name="one_block_in_force_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} blocked {self.blocked_at:%Y-%m-%d}"


def content_key(obj: Any) -> tuple[int, int]:
    """(content type id, primary key) of a moderated object, as reports and actions name it."""
    return ContentType.objects.get_for_model(obj).pk, obj.pk
