"""Writes of moderation: reports, hiding and restoring content, dismissing reports, blocking
accounts; and the check every app makes before someone posts (``check_may_post``).

Every moderator's action is a ``ModerationAction`` (the log, with its reason) and an audit
event (ids only), written in the same transaction as the change itself.
"""

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digikunta.accounts.models import PlatformRole, User
from digikunta.accounts.selectors import user_platform_roles
from digikunta.audit.models import AuditAction
from digikunta.audit.services import audit_record
from digikunta.core.errors import Refused
from digikunta.core.permissions import can
from digikunta.moderation import registry
from digikunta.moderation.models import (
    REASON_CHARS,
    AccountBlock,
    ActionKind,
    Moderated,
    ModerationAction,
    Report,
    ReportReason,
    ReportStatus,
    content_key,
)
from digikunta.moderation.selectors import active_block

# --- Posting: blocks and rate limits ----------------------------------------------------------


class AccountBlocked(Refused):
    """The account is blocked by the moderators: 403 with the block's reason."""

    status_code = 403


class PostingTooFast(Refused):
    """The person has posted as much of this kind as the limits allow for now: 429."""

    status_code = 429


PERIODS = {"m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^(\d+)/([mhd])$")


def parse_rate(rate: str) -> tuple[int, str]:
    """ "10/m" as (10, "m"): a count and its period, a minute, an hour or a day."""
    match = _RATE.match(rate)
    if match is None:
        raise ImproperlyConfigured(
            f"MODERATION_POST_LIMITS: {rate!r} is not <count>/<m|h|d>, e.g. 10/m."
        )
    return int(match.group(1)), match.group(2)


def post_limits(kind: str) -> list[tuple[int, str]]:
    """The limits of ``kind`` from MODERATION_POST_LIMITS, shortest period first."""
    rates = settings.MODERATION_POST_LIMITS.get(kind, ())
    return sorted((parse_rate(rate) for rate in rates), key=lambda limit: PERIODS[limit[1]])


def _counted(kind: str) -> tuple[type[models.Model], str, str]:
    """The model whose rows are ``kind``'s posts, with its author and time fields."""
    if kind == "report":
        return Report, "reporter", "created_at"
    entry = registry.entry_of_kind(kind)
    if entry is None:
        raise ImproperlyConfigured(
            f"MODERATION_POST_LIMITS has limits for {kind!r}, but no model of that kind is "
            "registered with moderation.registry.register(…, kind=…)."
        )
    return entry.model, entry.author_field, entry.created_field


def _too_fast(count: int, period: str) -> str:
    if period == "m":
        message = ngettext(
            "You can post once a minute at most. Wait a minute and try again.",
            "You can post %(counter)s times a minute at most. Wait a minute and try again.",
            count,
        )
    elif period == "h":
        message = ngettext(
            "You can post once an hour at most. Try again later.",
            "You can post %(counter)s times an hour at most. Try again later.",
            count,
        )
    else:
        message = ngettext(
            "You can post once a day at most. Try again tomorrow.",
            "You can post %(counter)s times a day at most. Try again tomorrow.",
            count,
        )
    return message % {"counter": count}


def check_not_blocked(user: Any) -> None:
    """Raise AccountBlocked, with the moderators' reason, when ``user``'s account is blocked:
    for edits, which are not new posts and count against no limit."""
    block = active_block(user)
    if block is not None:
        raise AccountBlocked(
            _(
                "The moderators have blocked your account from posting: %(reason)s "
                "You can still read and manage your account."
            )
            % {"reason": block.reason}
        )


def check_may_post(user: Any, *, kind: str) -> None:
    """Whether ``user`` may post one more item of ``kind`` now ("journal_entry", "comment",
    "idea", "report"): raise AccountBlocked (403) when the account is blocked, or PostingTooFast
    (429) when they have posted the limit of MODERATION_POST_LIMITS[kind] within its period.
    Both are PermissionDenied with a translated ``message``, which the error pages and the
    API show. Counted from the database: the kind's model rows by their author and time
    (registry.register's ``author_field`` and ``created_field``), one query for all periods.
    Call it in the service that creates the item, before writing."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Log in to post."))
    check_not_blocked(user)
    limits = post_limits(kind)
    if not limits:
        return
    model, author_field, created_field = _counted(kind)
    now = timezone.now()
    windows = {
        f"{count}/{period}": Count(
            "pk", filter=Q(**{f"{created_field}__gte": now - timedelta(seconds=PERIODS[period])})
        )
        for count, period in limits
    }
    longest = max(PERIODS[period] for _count, period in limits)
    posted = model._base_manager.filter(
        **{author_field: user, f"{created_field}__gte": now - timedelta(seconds=longest)}
    ).aggregate(**windows)
    for count, period in limits:
        if posted[f"{count}/{period}"] >= count:
            raise PostingTooFast(_too_fast(count, period))


# --- Reports ----------------------------------------------------------------------------------


def _entry(obj: Any) -> registry.Entry:
    entry = registry.entry_for(obj)
    if entry is None:
        raise ImproperlyConfigured(f"{type(obj).__name__} is not registered for moderation.")
    return entry


def _open_reports(obj: Any) -> "models.QuerySet[Report]":
    content_type_id, object_id = content_key(obj)
    return Report.objects.filter(
        content_type_id=content_type_id, object_id=object_id, status=ReportStatus.OPEN
    )


def _already_reported() -> ValidationError:
    return ValidationError(
        _("You have reported this already; the moderators will look at it."),
        code="already_reported",
    )


def report_create(*, reporter: User, obj: Moderated, reason: str, details: str = "") -> Report:
    """Report ``obj`` to the moderators. The caller has checked that ``reporter`` may see it
    (the registry's ``visible_to``). One open report per person and item, also when sent twice
    at once (the constraint); a blocked account and one past the "report" limits are refused
    (check_may_post)."""
    _entry(obj)
    if obj.hidden_at is not None:
        raise ValidationError(_("The moderators have already hidden this."), code="hidden")
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose why you report this.")})
    check_may_post(reporter, kind="report")
    content_type_id, object_id = content_key(obj)
    report = Report(
        content_type_id=content_type_id,
        object_id=object_id,
        reporter=reporter,
        reason=reason,
        details=details.strip(),
    )
    report.full_clean(validate_constraints=False)
    if _open_reports(obj).filter(reporter=reporter).exists():
        raise _already_reported()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same report sent twice at once
        raise _already_reported() from None
    return report


# --- The moderators' actions on content -----------------------------------------------------


def _check_moderator(user: Any) -> None:
    if not can(user, "moderate", Report):
        raise PermissionDenied


def _clean_reason(reason: str, field: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError({field: _("Give the reason that is shown in place of the content.")})
    if len(reason) > REASON_CHARS:
        raise ValidationError({field: _("Use at most %(max)s characters.") % {"max": REASON_CHARS}})
    return reason


def _locked(obj: Moderated) -> Moderated:
    model: Any = type(obj)
    locked: Moderated = model._base_manager.select_for_update().get(pk=obj.pk)
    return locked


def _log_content_action(
    *,
    kind: ActionKind,
    audit: AuditAction,
    moderator: User,
    obj: Moderated,
    reason: str,
    reports: int,
) -> ModerationAction:
    entry = _entry(obj)
    author = entry.author(obj)
    content_type_id, object_id = content_key(obj)
    action = ModerationAction.objects.create(
        action=kind,
        content_type_id=content_type_id,
        object_id=object_id,
        user=author,
        moderator=moderator,
        reason=reason,
    )
    audit_record(
        action=audit,
        actor=moderator,
        subject=author,
        target=obj,
        reports=reports,
        moderation_action=action.pk,
    )
    return action


def content_hide(*, moderator: User, obj: Moderated, public_reason: str) -> None:
    """Hide ``obj``: it keeps its place, shown as "Hidden by the moderators: <public_reason>",
    and leaves lists, search, exports and the API (its app's filters and ``on_change``). Its
    open reports are upheld. Locks the row: two moderators at once hide it once."""
    _check_moderator(moderator)
    entry = _entry(obj)
    public_reason = _clean_reason(public_reason, "public_reason", required=True)
    with transaction.atomic():
        locked = _locked(obj)
        if locked.hidden_at is not None:
            raise ValidationError(_("The moderators have already hidden this."), code="hidden")
        now = timezone.now()
        locked.hidden_at, locked.hidden_reason = now, public_reason
        locked.save(update_fields=["hidden_at", "hidden_reason"])
        upheld = _open_reports(locked).update(
            status=ReportStatus.UPHELD, handled_at=now, handled_by=moderator
        )
        _log_content_action(
            kind=ActionKind.HIDE,
            audit=AuditAction.CONTENT_HIDDEN,
            moderator=moderator,
            obj=locked,
            reason=public_reason,
            reports=upheld,
        )
        if entry.on_change is not None:
            entry.on_change(locked)
    obj.hidden_at, obj.hidden_reason = locked.hidden_at, locked.hidden_reason


def content_restore(*, moderator: User, obj: Moderated, note: str = "") -> None:
    """Show hidden ``obj`` again, in lists, search, exports and the API. ``note`` (why) is
    kept in the log only."""
    _check_moderator(moderator)
    entry = _entry(obj)
    note = _clean_reason(note, "note", required=False)
    with transaction.atomic():
        locked = _locked(obj)
        if locked.hidden_at is None:
            raise ValidationError(_("This is not hidden."), code="not_hidden")
        locked.hidden_at, locked.hidden_reason = None, ""
        locked.save(update_fields=["hidden_at", "hidden_reason"])
        _log_content_action(
            kind=ActionKind.RESTORE,
            audit=AuditAction.CONTENT_RESTORED,
            moderator=moderator,
            obj=locked,
            reason=note,
            reports=0,
        )
        if entry.on_change is not None:
            entry.on_change(locked)
    obj.hidden_at, obj.hidden_reason = None, ""


def reports_dismiss(*, moderator: User, obj: Moderated, note: str = "") -> int:
    """Dismiss the open reports of ``obj``, which stays as it is; returns how many. Its
    reporters may report it again later."""
    _check_moderator(moderator)
    _entry(obj)
    note = _clean_reason(note, "note", required=False)
    with transaction.atomic():
        _locked(obj)  # one decision at a time about one item
        dismissed = _open_reports(obj).update(
            status=ReportStatus.DISMISSED, handled_at=timezone.now(), handled_by=moderator
        )
        if not dismissed:
            raise ValidationError(_("No report of this is waiting any more."), code="none_open")
        _log_content_action(
            kind=ActionKind.DISMISS,
            audit=AuditAction.REPORTS_DISMISSED,
            moderator=moderator,
            obj=obj,
            reason=note,
            reports=dismissed,
        )
    return dismissed


# --- Accounts ---------------------------------------------------------------------------------

UNBLOCKABLE_ROLES = frozenset({PlatformRole.MODERATOR, PlatformRole.COORDINATOR})


def _check_blocker(user: Any) -> None:
    if not can(user, "add", AccountBlock):
        raise PermissionDenied


def account_block(*, moderator: User, user: User, reason: str) -> AccountBlock:
    """Block ``user`` from posting, reporting and editing what they wrote, until a moderator
    lifts it; ``reason`` is shown to them. Moderators, coordinators and administrators are not
    blocked here (the coordinators take back a role)."""
    _check_blocker(moderator)
    reason = _clean_reason(reason, "reason", required=False)
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the person sees it.")})
    if user.pk == moderator.pk:
        raise ValidationError(_("You cannot block your own account."), code="self")
    if user.is_superuser or user.is_staff or user_platform_roles(user) & UNBLOCKABLE_ROLES:
        raise ValidationError(
            _(
                "Moderators, coordinators and administrators cannot be blocked; ask a "
                "coordinator to take back the role first."
            ),
            code="staff",
        )
    already = ValidationError(_("This account is blocked already."), code="blocked")
    if AccountBlock.objects.active().filter(user=user).exists():
        raise already
    try:
        with transaction.atomic():
            block = AccountBlock.objects.create(user=user, reason=reason, blocked_by=moderator)
            action = ModerationAction.objects.create(
                action=ActionKind.BLOCK, user=user, moderator=moderator, reason=reason
            )
            audit_record(
                action=AuditAction.ACCOUNT_BLOCKED,
                actor=moderator,
                subject=user,
                target=block,
                moderation_action=action.pk,
            )
    except IntegrityError:  # blocked twice at once
        raise already from None
    return block


def account_unblock(*, moderator: User, user: User, note: str = "") -> AccountBlock:
    """Lift the block of ``user``: they may post again. ``note`` is kept in the log only."""
    _check_blocker(moderator)
    note = _clean_reason(note, "note", required=False)
    with transaction.atomic():
        block = AccountBlock.objects.active().select_for_update().filter(user=user).first()
        if block is None:
            raise ValidationError(_("This account is not blocked."), code="not_blocked")
        block.lifted_at, block.lifted_by = timezone.now(), moderator
        block.save(update_fields=["lifted_at", "lifted_by"])
        action = ModerationAction.objects.create(
            action=ActionKind.UNBLOCK, user=user, moderator=moderator, reason=note
        )
        audit_record(
            action=AuditAction.ACCOUNT_UNBLOCKED,
            actor=moderator,
            subject=user,
            target=block,
            moderation_action=action.pk,
        )
    return block
