"""A worker killed mid-task leaves its row RUNNING; the daily release_stale_tasks ends it as
FAILED for staff to see, and queues an idempotent task's next attempt (issue 9).

Transactional, with the database backend and `db_worker --batch`, as in test_tasks.py.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.tasks import release_stale_tasks, send_email, task_with_retries
from digikunta.core.tests.worker import run_worker

CHECKED = []


@task_with_retries(attempts=2, backoff_seconds=1)
def count_visit(*, name: str) -> int:
    CHECKED.append(name)
    return len(CHECKED)


@pytest.fixture
def queue(queued_tasks, reference_data):
    CHECKED.clear()


def left_running(result, *, minutes: int) -> DBTaskResult:
    """The row as a worker leaves it that was killed ``minutes`` after claiming it."""
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("web-1-default")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes)
    )
    return row


def status_page(client) -> str:
    client.force_login(UserFactory(is_staff=True, totp=True))
    return client.get("/en/admin/status/").content.decode()


def test_a_task_left_running_by_a_dead_worker_fails_and_runs_again(client, queue):
    row = left_running(count_visit.enqueue(name="kirjasto"), minutes=61)

    release_stale_tasks.enqueue()
    run_worker()

    row.refresh_from_db()
    assert row.status == "FAILED"
    again = DBTaskResult.objects.get(task_path=row.task_path, status="SUCCESSFUL")
    assert again.args_kwargs["kwargs"] == {"name": "kirjasto", "attempt": 2}
    assert CHECKED == ["kirjasto"]  # the work was done by the second attempt
    html = status_page(client)
    assert "WorkerLost: worker web-1-default stopped during the task" in html
    assert "queued again as attempt 2 of 2" in html


def test_an_email_left_running_is_failed_but_never_sent_twice(client, queue, mailoutbox):
    row = left_running(
        send_email.enqueue(subject="Hei", body="Hei", to=["a@example.fi"]), minutes=90
    )

    release_stale_tasks.enqueue()
    run_worker()

    row.refresh_from_db()
    assert row.status == "FAILED"
    assert mailoutbox == []
    assert not DBTaskResult.objects.filter(task_path=row.task_path).exclude(pk=row.pk).exists()
    assert "it may have done its work" in status_page(client)


def test_a_task_on_its_last_attempt_is_failed_and_not_run_again(queue):
    row = left_running(count_visit.enqueue(name="uimahalli", attempt=2), minutes=120)

    assert release_stale_tasks.call() == 1

    row.refresh_from_db()
    assert row.status == "FAILED"
    assert "no attempts left" in row.traceback
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_a_task_running_within_the_limit_is_left_alone(queue, settings):
    settings.TASK_RUNNING_TIMEOUT_SECONDS = 2 * 3600
    row = left_running(count_visit.enqueue(name="koulu"), minutes=90)

    assert release_stale_tasks.call() == 0

    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_releasing_twice_queues_the_next_attempt_once(queue):
    left_running(count_visit.enqueue(name="sauna"), minutes=61)

    assert release_stale_tasks.call() == 1
    assert release_stale_tasks.call() == 0

    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_daily_jobs_release_stale_tasks(queue):
    call_command("enqueue_daily", verbosity=0)

    assert DBTaskResult.objects.filter(task_path__endswith=".release_stale_tasks").count() == 1
