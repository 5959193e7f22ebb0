"""Reads of notification choices and of what waits for a digest."""

from collections.abc import Iterable, Iterator

from digikunta.accounts.models import User
from digikunta.notifications import kinds
from digikunta.notifications.models import Notification, Preference


def frequencies_of(user: User) -> dict[str, str]:
    """What ``user`` gets of each registered kind, in the order registered: their choice, else
    what an unsubscribe from every kind said, else the kind's default."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    fallback = chosen.get(kinds.ALL)
    return {
        kind.key: chosen.get(kind.key) or fallback or kind.default for kind in kinds.registered()
    }


def frequencies_for(user_ids: Iterable[int], kind: kinds.Kind) -> dict[int, str]:
    """What each of ``user_ids`` gets of ``kind``, in one query (one chunk of recipients)."""
    ids = list(user_ids)
    rows = Preference.objects.filter(user_id__in=ids, kind__in=[kind.key, kinds.ALL])
    chosen: dict[int, str] = {}
    for user_id, key, frequency in rows.values_list("user_id", "kind", "frequency"):
        if key == kind.key or user_id not in chosen:
            chosen[user_id] = frequency
    return {user_id: chosen.get(user_id, kind.default) for user_id in ids}


def pending_batches(size: int) -> Iterator[list[int]]:
    """The ids of the people with something pending for their digest, ``size`` at a time, in
    id order; read with a cursor, so 100,000 people cost neither memory nor one query each."""
    user_ids = (
        Notification.objects.filter(digested_at__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    batch: list[int] = []
    for user_id in user_ids.iterator(chunk_size=2000):
        batch.append(user_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def has_stopped_all(user: User) -> bool:
    """Whether ``user`` stopped every kind with an unsubscribe link (the ``all`` row)."""
    return Preference.objects.filter(user=user, kind=kinds.ALL, frequency="off").exists()
