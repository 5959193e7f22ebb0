"""The daily digests as tasks (issue 11): one scheduler queues one task per batch of
DIGEST_BATCH people, never one per person; each batch writes its people's digests."""

from digikunta.core.tasks import enqueue_on_commit, task_with_retries
from digikunta.notifications import selectors, services

DIGEST_BATCH = 500


def digests_queue(*, batch_size: int = DIGEST_BATCH) -> int:
    """Queue a ``send_digest_batch`` task for each ``batch_size`` people with something
    pending, and delete old digested rows; returns how many batches. Safe to run twice: a
    batch finds its people's items already digested and sends nothing."""
    services.digests_purge()
    queued = 0
    for user_ids in selectors.pending_batches(batch_size):
        enqueue_on_commit(send_digest_batch, user_ids=user_ids)
        queued += 1
    return queued


@task_with_retries()
def send_digests() -> int:
    """Task (DAILY_TASKS): queue the day's digest batches; returns how many."""
    return digests_queue()


@task_with_retries()
def send_digest_batch(*, user_ids: list[int]) -> int:
    """Task: the digests of up to DIGEST_BATCH people; returns how many were queued to send.
    Idempotent (services.digest_batch_send), so it is retried like any other."""
    return services.digest_batch_send(user_ids=user_ids)
