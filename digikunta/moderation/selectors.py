"""Reads of moderation: the queue of reported content, hidden content, blocked accounts, and
one item of content by its kind and id."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, QuerySet
from django.http import Http404

from digikunta.accounts.models import User
from digikunta.moderation import registry
from digikunta.moderation.models import (
    AccountBlock,
    ModerationAction,
    Report,
    ReportReason,
    ReportStatus,
    content_key,
)

QUEUE_PAGE = 20
HIDDEN_LIMIT = 100


def active_block(user: Any) -> AccountBlock | None:
    """The block in force on ``user``'s account, if any: one query."""
    if not getattr(user, "is_authenticated", False):
        return None
    return AccountBlock.objects.active().filter(user=user.pk).first()


def _content(entry: registry.Entry) -> QuerySet[Any]:
    return entry.model._base_manager.select_related(*entry.related)


def get_content_or_404(kind: str, pk: int, *, user: Any = None) -> tuple[registry.Entry, Any]:
    """The registered kind and the item of content ``pk`` of it, hidden or not; with ``user``,
    only if they may see it (the registry's ``visible_to``): 404 otherwise."""
    entry = registry.entry_of_kind(kind)
    if entry is None:
        raise Http404
    obj = _content(entry).filter(pk=pk).first()
    if obj is None or (user is not None and not entry.visible_to(user, obj)):
        raise Http404
    return entry, obj


def own_open_report(user: Any, obj: Any) -> Report | None:
    """``user``'s report of ``obj`` that waits for the moderators, if any."""
    content_type_id, object_id = content_key(obj)
    return Report.objects.filter(
        content_type_id=content_type_id,
        object_id=object_id,
        reporter=user.pk,
        status=ReportStatus.OPEN,
    ).first()


@dataclass
class QueueItem:
    """One reported item in the queue: what it is, and its open reports."""

    entry: registry.Entry
    obj: Any
    reports: list[Report] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """Each reason given, with how many gave it, the most common first."""
        labels = dict(ReportReason.choices)
        counts = Counter(report.reason for report in self.reports)
        return [(str(labels[reason]), n) for reason, n in counts.most_common()]

    @property
    def first_reported_at(self) -> datetime:
        return min(report.created_at for report in self.reports)


def open_report_groups() -> QuerySet[Any]:
    """The reported items waiting for the moderators, as (content_type, object_id, count,
    first) rows, the longest waiting first: what the queue pages through."""
    return (
        Report.objects.filter(status=ReportStatus.OPEN)
        .values("content_type", "object_id")
        .annotate(count=Count("pk"), first=Min("created_at"))
        .order_by("first", "content_type", "object_id")
    )


def _objects(keys: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[registry.Entry, Any]]:
    """The registered objects of (content type id, id) pairs: one query per model."""
    ids: dict[int, list[int]] = defaultdict(list)
    for content_type_id, object_id in keys:
        ids[content_type_id].append(object_id)
    found = {}
    for content_type_id, object_ids in ids.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        entry = registry.entry_for(model) if model is not None else None
        if entry is None:
            continue
        for obj in _content(entry).filter(pk__in=object_ids):
            found[(content_type_id, obj.pk)] = (entry, obj)
    return found


def queue_items(groups: list[dict[str, Any]]) -> list[QueueItem]:
    """The items of one page of open_report_groups with their open reports: one query for
    the reports and one per kind of content. An item deleted since it was reported is left
    out (its reports go with it when its kind's app deletes them, or stay unseen)."""
    keys = [(group["content_type"], group["object_id"]) for group in groups]
    objects = _objects(keys)
    reports: dict[tuple[int, int], list[Report]] = defaultdict(list)
    if keys:
        wanted = Report.objects.filter(status=ReportStatus.OPEN).filter(
            content_type__in={k[0] for k in keys}, object_id__in={k[1] for k in keys}
        )
        for report in wanted:
            reports[(report.content_type_id, report.object_id)].append(report)
    items = []
    for key in keys:
        if key in objects and reports.get(key):
            entry, obj = objects[key]
            items.append(QueueItem(entry, obj, reports[key]))
    return items


def open_report_count() -> int:
    """How many items wait in the queue."""
    return open_report_groups().count()


@dataclass
class HiddenItem:
    entry: registry.Entry
    obj: Any


def hidden_content(limit: int = HIDDEN_LIMIT) -> list[HiddenItem]:
    """Hidden content of every registered kind, the most recently hidden first: one query
    per kind."""
    items = [
        HiddenItem(entry, obj)
        for entry in registry.entries()
        for obj in _content(entry).filter(hidden_at__isnull=False).order_by("-hidden_at")[:limit]
    ]
    items.sort(key=lambda item: item.obj.hidden_at, reverse=True)
    return items[:limit]


def content_reports(obj: Any) -> list[Report]:
    """Every report of ``obj``, the newest first, with who handled it."""
    content_type_id, object_id = content_key(obj)
    return list(
        Report.objects.filter(content_type_id=content_type_id, object_id=object_id)
        .select_related("handled_by")
        .order_by("-created_at", "-pk")
    )


def content_actions(obj: Any) -> list[ModerationAction]:
    """The moderators' actions on ``obj``, the newest first."""
    content_type_id, object_id = content_key(obj)
    return list(
        ModerationAction.objects.filter(content_type_id=content_type_id, object_id=object_id)
        .select_related("moderator")
        .order_by("-created_at", "-pk")
    )


def blocked_accounts() -> list[AccountBlock]:
    """The blocks in force, the newest first."""
    return list(AccountBlock.objects.active().select_related("user", "blocked_by"))


def account_actions(user: Any) -> list[ModerationAction]:
    """The blocks and unblocks of ``user``'s account, the newest first."""
    return list(
        ModerationAction.objects.filter(user=user.pk, content_type__isnull=True).select_related(
            "moderator"
        )
    )


def get_person_or_404(user_id: int) -> User:
    """The account ``user_id``, for the moderators' block page."""
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise Http404
    return person
