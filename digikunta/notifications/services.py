"""Notifications (issue 11, item 9): delivering one to many people by each one's choice, the
choices themselves, one-click unsubscribing and the daily digests (ADR 0019).

Everything here runs in a worker task or a command, except ``preferences_save`` and
``unsubscribe``, which pages call. E-mail is queued with core.tasks.enqueue_messages, in the
same transaction as the rows that say it was sent."""

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.core.tasks import enqueue_messages
from digikunta.notifications import kinds, selectors
from digikunta.notifications.models import (
    CHOOSE_FREQUENCY,
    Delivery,
    Frequency,
    Notification,
    Preference,
)
from digikunta.notifications.rendering import digest_message, notification_message

# Recipients read, rendered and written together: memory and queries per chunk are bounded.
CHUNK = 500
# Rows marked digested per UPDATE (a digest batch of 500 people).
MARK_CHUNK = 1000
# A delivery unfinished for longer than this failed for good (its task's retries take about
# two hours): the same delivery asked for again starts from its first recipient.
STALE_DELIVERY = timedelta(hours=6)


def _once_each(user_ids: Iterable[int], exclude: int | None) -> Iterator[int]:
    seen: set[int] = set()
    for user_id in user_ids:
        if user_id != exclude and user_id not in seen:
            seen.add(user_id)
            yield user_id


def _chunks(values: Iterator[int], size: int) -> Iterator[list[int]]:
    while chunk := list(islice(values, size)):
        yield chunk


def deliver(
    user_ids: Iterable[int],
    *,
    kind: str,
    template: str,
    params: dict[str, str | int],
    link: tuple[str, list[str | int]] | None = None,
    exclude: int | None = None,
) -> int:
    """Called from a WORKER task (never in a request). For each active recipient (once each,
    `exclude` = the actor's id), by their preference for `kind`: IMMEDIATELY -> one e-mail now,
    rendered in the recipient's language (User.language) from templates f"{template}_subject.txt"
    and f"{template}.txt" with `params` plus `user` and `url` (the absolute URL of
    reverse(link[0], args=link[1]) under the recipient's language); DAILY -> a pending
    Notification row for the digest; OFF -> nothing. Returns how many were e-mailed or stored.
    Must handle 100,000 recipient ids in bounded memory and queries (bulk, chunks).

    The recipients go CHUNK at a time: one query for the people, one for their choices, one
    INSERT of the messages' tasks and one of the digest's rows per chunk; only the ids already
    seen are kept. Each chunk commits with the count of chunks done (``Delivery``), so the
    caller's task, tried again after a failure, skips the chunks already sent: pass the ids
    in a stable order (``order_by``). Every e-mail carries the one-click unsubscribe headers
    and a footer (rendering.py). ``params`` are stored as JSON for the digest: keep them short
    (a title, a code, an id), not whole texts. LookupError for a kind nobody registered.
    """
    known = kinds.get(kind)
    stored_link = [link[0], list(link[1])] if link else None
    progress = _delivery(kind, template, params, stored_link, exclude)
    done = 0
    for index, chunk in enumerate(_chunks(_once_each(user_ids, exclude), CHUNK)):
        if index < progress.chunks_done:
            continue
        with transaction.atomic():
            done += _deliver_chunk(chunk, known, template, params, stored_link)
            Delivery.objects.filter(pk=progress.pk).update(chunks_done=index + 1)
    Delivery.objects.filter(pk=progress.pk).delete()
    return done


def _delivery(
    kind: str,
    template: str,
    params: Mapping[str, str | int],
    link: list[Any] | None,
    exclude: int | None,
) -> Delivery:
    """The progress of this delivery: a new one, or the one a failed attempt left."""
    what = json.dumps([kind, template, params, link, exclude], sort_keys=True, default=str)
    key = hashlib.sha256(what.encode()).hexdigest()
    progress, created = Delivery.objects.get_or_create(key=key)
    if not created and progress.started_at < timezone.now() - STALE_DELIVERY:
        progress.chunks_done = 0
        progress.started_at = timezone.now()
        progress.save(update_fields=["chunks_done", "started_at"])
    return progress


def _deliver_chunk(
    user_ids: list[int],
    kind: kinds.Kind,
    template: str,
    params: dict[str, str | int],
    link: list[Any] | None,
) -> int:
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    frequencies = selectors.frequencies_for([user.pk for user in users], kind)
    messages = []
    pending = []
    for user in users:
        frequency = frequencies[user.pk]
        if frequency == Frequency.IMMEDIATELY:
            messages.append(notification_message(user, kind, template, params, link))
        elif frequency == Frequency.DAILY:
            pending.append(
                Notification(user=user, kind=kind.key, template=template, params=params, link=link)
            )
    Notification.objects.bulk_create(pending, batch_size=CHUNK)
    enqueue_messages(messages)
    return len(messages) + len(pending)


def _clean_choices(choices: Mapping[str, str]) -> dict[str, str]:
    known = {kind.key for kind in kinds.registered()}
    cleaned = {}
    for key, frequency in choices.items():
        if key not in known:
            raise ValidationError(
                _("There is no notification called %(kind)s; reload the page and choose again."),
                params={"kind": key},
            )
        if frequency not in Frequency.values:
            raise ValidationError(CHOOSE_FREQUENCY)
        cleaned[key] = frequency
    return cleaned


def _upsert(user_id: int, choices: Mapping[str, str]) -> None:
    Preference.objects.bulk_create(
        [Preference(user_id=user_id, kind=key, frequency=value) for key, value in choices.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["frequency"],
    )


def preferences_save(*, user: User, choices: Mapping[str, str]) -> None:
    """Record how often ``user`` wants each kind (registered key -> Frequency value), in one
    query. ValidationError, and nothing written, for an unknown kind or frequency. Pending
    digest items of a kind turned off are dropped."""
    cleaned = _clean_choices(choices)
    with transaction.atomic():
        _upsert(user.pk, cleaned)
        off = [key for key, value in cleaned.items() if value == Frequency.OFF]
        Notification.objects.filter(user=user, kind__in=off, digested_at__isnull=True).delete()


def unsubscribe(*, user_id: int, kind: str) -> None:
    """Turn ``kind`` off for person ``user_id``; for kinds.ALL, every kind registered now and,
    through the ``all`` row, every kind added later. Their pending digest items of it go.
    Safe to repeat; nothing for a person who no longer exists (an old link)."""
    if not User.objects.filter(pk=user_id).exists():
        return
    if kind == kinds.ALL:
        keys = [known.key for known in kinds.registered()] + [kinds.ALL]
    else:
        keys = [kind]
    with transaction.atomic():
        _upsert(user_id, dict.fromkeys(keys, Frequency.OFF))
        pending = Notification.objects.filter(user_id=user_id, digested_at__isnull=True)
        if kind != kinds.ALL:
            pending = pending.filter(kind=kind)
        pending.delete()


def _effective(chosen: dict[str, str], key: str) -> str:
    if key in chosen:
        return chosen[key]
    if kinds.ALL in chosen:
        return chosen[kinds.ALL]
    try:
        return kinds.get(key).default
    except LookupError:
        return Frequency.DAILY  # a kind no longer registered: tell what was stored


def digest_batch_send(*, user_ids: list[int]) -> int:
    """Queue one digest e-mail to each of ``user_ids`` with something pending; returns how many.

    In one transaction: the pending rows are read and locked (FOR UPDATE on PostgreSQL;
    SQLite's IMMEDIATE transactions write one at a time), the messages' tasks written and the
    rows marked digested. So a retried or doubled batch finds nothing left and sends nothing
    twice, and a failed one sends nothing. Items of a kind since turned off, and people no
    longer active, are marked without mail. A constant number of queries for up to CHUNK
    people with up to MARK_CHUNK items in all."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(user_id__in=user_ids, digested_at__isnull=True)
            .order_by("user_id", "pk")
        )
        if not rows:
            return 0
        people = User.objects.in_bulk({row.user_id for row in rows})
        chosen: dict[int, dict[str, str]] = {}
        for user_id, key, frequency in Preference.objects.filter(
            user_id__in=list(people)
        ).values_list("user_id", "kind", "frequency"):
            chosen.setdefault(user_id, {})[key] = frequency
        items: dict[int, list[Notification]] = {}
        for row in rows:
            if _effective(chosen.get(row.user_id, {}), row.kind) != Frequency.OFF:
                items.setdefault(row.user_id, []).append(row)
        messages = []
        for user_id, entries in items.items():
            person = people.get(user_id)
            if person is not None and person.is_active:
                message = digest_message(person, entries)
                if message is not None:
                    messages.append(message)
        enqueue_messages(messages)
        ids = [row.pk for row in rows]
        for start in range(0, len(ids), MARK_CHUNK):
            Notification.objects.filter(pk__in=ids[start : start + MARK_CHUNK]).update(
                digested_at=now
            )
    return len(messages)


def digests_purge() -> int:
    """Delete digest items digested more than NOTIFICATION_RETENTION_DAYS ago; returns how
    many. They hold what was sent to whom, and nothing needs them once sent."""
    cutoff = timezone.now() - timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _details = Notification.objects.filter(digested_at__lt=cutoff).delete()
    return deleted
