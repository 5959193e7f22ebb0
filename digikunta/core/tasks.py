"""Background work: how the project defines, enqueues and retries tasks (ADR 0011).

Tasks are rows in our own database (django-tasks with its database backend), run by
`digikunta db_worker`. Three conventions, all here:

- ``task_with_retries`` defines a task that is tried again with a growing delay, up to a number
  of attempts; the last failure stays FAILED with its traceback (django-tasks 0.12 has no
  retries of its own). Arguments are JSON: ids, language codes, rendered strings.
- ``enqueue_on_commit`` queues a task only if the surrounding transaction commits;
  ``enqueue_many_on_commit`` queues many calls of one task in a few bulk INSERTs.
- ``send_email`` sends one rendered message; ``enqueue_messages`` queues a list of them. No
  request waits for SMTP.

A worker that dies mid-task (killed, out of memory, the machine restarted) leaves its row
RUNNING: django-tasks-db 0.13 has no heartbeat. ``release_stale_tasks`` (daily) ends such rows
as FAILED and queues an idempotent task's next attempt.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from digikunta.core import links
from digikunta.core.logging import EMAIL

logger = logging.getLogger(__name__)

T = TypeVar("T")
# A task made by task_with_retries: it takes the function's arguments and ``attempt`` and
# ``site``, and returns the function's result or ``{"retried": …}``.
AnyTask = Task[..., Any]

# Eight attempts over about two hours: an SMTP server down for a restart or an upgrade is
# waited out. Seconds before the second attempt; doubled for each one after (1, 2, 4 … 64 min).
ATTEMPTS = 8
BACKOFF_SECONDS = 60
# How each task_with_retries task may be tried again, by task path: (attempts, idempotent).
_RETRY_RULES: dict[str, tuple[int, bool]] = {}


class WorkerLost(Exception):
    """The worker running a task stopped before the task ended."""


def task_with_retries(
    *,
    attempts: int = ATTEMPTS,
    backoff_seconds: int = BACKOFF_SECONDS,
    idempotent: bool = True,
    **options: Any,
) -> Callable[[Callable[..., T]], AnyTask]:
    """Define a task whose failures are tried again, ``attempts`` times in all.

    ``idempotent=False`` for a task that must not run twice once it may have done its work (an
    e-mail may have gone out): an attempt cut short by a dead worker is then not run again.

    ``site``, which enqueue_on_commit adds, is the address of the request that queued it: the
    links the task writes go there (core/links.py).

    A failed attempt queues the next one with ``attempt`` + 1 to run after a delay that doubles
    each time, and ends itself as SUCCESSFUL with ``{"retried": error}`` as its result, so only
    a task that has used up its attempts shows as FAILED (on the status page, with its
    traceback). The attempt number travels as the keyword argument ``attempt``.
    """

    def decorate(func: Callable[..., T]) -> AnyTask:
        defined: dict[str, AnyTask] = {}

        def run(*args: Any, attempt: int = 1, site: str | None = None, **kwargs: Any) -> Any:
            try:
                with links.serving(site):
                    return func(*args, **kwargs)
            except Exception as error:
                if attempt >= attempts:
                    raise
                again = defined["task"]
                delay = backoff_seconds * 2 ** (attempt - 1)
                if again.get_backend().supports_defer:
                    again = again.using(run_after=timezone.now() + timedelta(seconds=delay))
                logger.warning(
                    "Task %s failed (attempt %s of %s, %s); trying again in %s s",
                    again.name,
                    attempt,
                    attempts,
                    type(error).__name__,
                    delay,
                )
                again.enqueue(*args, attempt=attempt + 1, site=site, **kwargs)
                return {"retried": error_summary(type(error).__name__, str(error))}

        # The task is found again by its module path: the wrapper takes the function's names.
        run.__module__ = func.__module__
        run.__name__ = func.__name__
        run.__qualname__ = func.__qualname__
        run.__doc__ = func.__doc__
        run.takes_site = True  # type: ignore[attr-defined]
        defined["task"] = task(**options)(run)
        _RETRY_RULES[defined["task"].module_path] = (attempts, idempotent)
        return defined["task"]

    return decorate


def enqueue_on_commit(queued: AnyTask, *args: Any, **kwargs: Any) -> None:
    """Queue ``queued`` for when the surrounding transaction commits; never if it rolls back.

    The database backend writes the task row inside the transaction itself, so the row commits
    with the change that caused it (nothing is lost if the process dies just after the commit)
    and a worker cannot see it before. Other backends (the immediate one in tests) are called
    on commit. Outside a transaction both happen at once.
    """
    root = links.current_root()
    if root and getattr(queued.func, "takes_site", False):  # its links go where the request came
        kwargs.setdefault("site", root)
    if isinstance(queued.get_backend(), DatabaseBackend):
        queued.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: queued.enqueue(*args, **kwargs))


# Rows per INSERT when many calls of one task are queued at once.
BULK_ROWS = 500


def enqueue_many_on_commit(queued: AnyTask, calls: list[dict[str, Any]]) -> int:
    """``enqueue_on_commit`` for many calls of one task (keyword arguments only); returns how many.

    With the database backend the rows are written with one INSERT per BULK_ROWS calls, inside
    the transaction, so queuing a digest for 500 people costs one query, not 500 (issue 11).
    Such rows skip django-tasks' ``task_enqueued`` signal, which only writes a debug log line.
    """
    if not calls:
        return 0
    root = links.current_root()
    if root and getattr(queued.func, "takes_site", False):
        calls = [{"site": root, **kwargs} for kwargs in calls]
    backend = queued.get_backend()
    if not isinstance(backend, DatabaseBackend):
        transaction.on_commit(lambda: [queued.enqueue(**kwargs) for kwargs in calls])
        return len(calls)
    backend.validate_task(queued)
    rows: list[DBTaskResult[..., Any]] = [
        DBTaskResult(
            args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
            priority=queued.priority,
            task_path=queued.module_path,
            queue_name=queued.queue_name,
            # What django-tasks-db's pre_save receiver sets, which bulk_create does not call.
            run_after=queued.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for kwargs in calls
    ]
    DBTaskResult.objects.bulk_create(rows, batch_size=BULK_ROWS)
    return len(rows)


def error_summary(exception_class: str, message: str) -> str:
    """An error for staff to read: the class and message, e-mail addresses masked, short."""
    text = f"{exception_class}: {message}" if message else exception_class
    return EMAIL.sub("[email]", text)[:300]


# --- E-mail ----------------------------------------------------------------------------------


def message_data(message: EmailMessage) -> dict[str, Any]:
    """A rendered message as JSON, for ``send_email``."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


@task_with_retries(idempotent=False)
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    content_subtype: str = "plain",
    alternatives: list[list[str]] | None = None,
    stored_attachments: list[list[str]] | None = None,
) -> None:
    """Send one message rendered by the caller (in the recipient's language). One message per
    task, so a retry never sends a message twice to the others. Not run again after its worker
    died: the message may have been sent (the FAILED row on the status page says so).

    ``stored_attachments`` are files kept through the storage API, as ``[name in the storage,
    file name for the recipient, MIME type]``: the task row holds their names, not their bytes.
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        cc=cc,
        bcc=bcc,
        reply_to=reply_to,
        headers=headers,
    )
    message.content_subtype = content_subtype
    for content, mimetype in alternatives or []:
        message.attach_alternative(content, mimetype)
    for stored, filename, mimetype in stored_attachments or []:
        with default_storage.open(stored, "rb") as file:
            message.attach(filename, file.read(), mimetype)
    message.send()


def enqueue_messages(
    messages: list[EmailMessage], *, stored_attachments: list[list[str]] | None = None
) -> int:
    """Queue each message to be sent by a worker once the transaction commits; returns how
    many. The messages are rendered already: the task holds strings, no model instances.
    One ``send_email`` task per message, written in bulk (``enqueue_many_on_commit``).
    A message's ``extra_headers`` go with it (``List-Unsubscribe``, notifications/services.py).
    ``stored_attachments`` go with every message (``send_email``)."""
    extra = {"stored_attachments": stored_attachments} if stored_attachments else {}
    return enqueue_many_on_commit(
        send_email, [{**message_data(message), **extra} for message in messages]
    )


# --- Upkeep ----------------------------------------------------------------------------------


@task_with_retries()
def clear_sessions() -> None:
    """Delete expired sessions (Django's clearsessions)."""
    from django.core.management import call_command

    call_command("clearsessions")


@task_with_retries()
def prune_task_results() -> int:
    """Delete finished task rows older than TASK_RESULT_RETENTION_DAYS, failed ones included."""
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    deleted, _details = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


@task_with_retries()
def release_stale_tasks() -> int:
    """End the tasks RUNNING longer than TASK_RUNNING_TIMEOUT_SECONDS as FAILED; returns how many.

    Their worker died: django-tasks-db keeps no heartbeat, so the row would stay RUNNING for
    good (issue 9). Each row is ended with an error saying so, shown on the status page. An
    idempotent task (task_with_retries) with attempts left is queued again as its next
    attempt; the others are left to staff. A task still running past the limit is not stopped,
    so the limit must be longer than the longest task. Safe to run twice, or twice at once:
    only the run that ends a row queues its next attempt.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.TASK_RUNNING_TIMEOUT_SECONDS)
    released = 0
    for row in DBTaskResult.objects.running().filter(started_at__lt=cutoff).order_by("started_at"):
        with transaction.atomic():
            released += _release(row)
    return released


def _release(row: DBTaskResult[..., Any]) -> int:
    attempts, idempotent = _task_rules(row.task_path)
    args = (row.args_kwargs or {}).get("args") or []
    kwargs = dict((row.args_kwargs or {}).get("kwargs") or {})
    attempt = kwargs.pop("attempt", 1)
    worker = row.worker_ids[-1] if row.worker_ids else "?"
    started = row.started_at.isoformat(timespec="seconds")
    rerun = idempotent and attempt < attempts
    if rerun:
        outcome = f"queued again as attempt {attempt + 1} of {attempts}"
    elif idempotent:
        outcome = "no attempts left; not run again"
    else:
        outcome = "not run again: it may have done its work; check, then queue it by hand"
    message = f"worker {worker} stopped during the task (started {started}); {outcome}"
    ended = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__qualname__}: {message}\n",
        return_value=None,
    )
    if not ended:  # it finished meanwhile, or another run released it
        return 0
    logger.warning("Task %s (%s) was left running: %s", row.pk, row.task_path, outcome)
    if rerun:
        again = import_string(row.task_path).using(queue_name=row.queue_name, priority=row.priority)
        again.enqueue(*args, attempt=attempt + 1, **kwargs)
    return 1


def _task_rules(task_path: str) -> tuple[int, bool]:
    """(attempts, idempotent) of a task; a task not made by task_with_retries runs once."""
    try:
        import_string(task_path)  # its module fills _RETRY_RULES when imported
    except ImportError:
        return 1, False
    return _RETRY_RULES.get(task_path, (1, False))


# --- Status page -----------------------------------------------------------------------------


def task_counts() -> dict[str, int]:
    """How many tasks wait, run and have failed (of those kept)."""
    rows = DBTaskResult.objects.order_by().values_list("status")
    return {
        "ready": rows.filter(status="READY").count(),
        "running": rows.filter(status="RUNNING").count(),
        "failed": rows.filter(status="FAILED").count(),
    }


def failed_tasks(*, limit: int = 20) -> list[dict[str, Any]]:
    """The latest tasks that used up their attempts: name, when, attempts and the error.

    Arguments are not shown (a message's address and text are among them); the error message
    has e-mail addresses masked.
    """
    rows = DBTaskResult.objects.failed().order_by("-finished_at")[:limit]
    failed = []
    for row in rows:
        lines = [line for line in row.traceback.strip().splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        exception_class = row.exception_class_path.rsplit(".", 1)[-1]
        message = last.split(":", 1)[1].strip() if ":" in last else ""
        kwargs = (row.args_kwargs or {}).get("kwargs") or {}
        failed.append(
            {
                "name": row.task_path.rsplit(".", 1)[-1],
                "path": row.task_path,
                "finished_at": row.finished_at,
                "attempts": kwargs.get("attempt", 1),
                "error": error_summary(exception_class, message),
            }
        )
    return failed
