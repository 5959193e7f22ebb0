"""Background tasks (issue 9, ADR 0011): requests queue rows, a worker sends the mail and loads
the embedding model, failures are tried again and then shown to staff.

Most tests here use the real database backend and run `db_worker --batch` as the worker does in
production; they are transactional, because the worker commits as it goes.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.tasks import (
    enqueue_messages,
    enqueue_on_commit,
    send_email,
    task_with_retries,
)
from digikunta.core.tests.worker import run_worker
from digikunta.experiments.models import Experiment, ExperimentVector
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory
from digikunta.funding import services as funding
from digikunta.funding.models import ApplicationStatus
from digikunta.funding.tests.factories import CallFactory, reviewed
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory


@pytest.fixture
def queue(queued_tasks, reference_data):
    """The production backend: tasks wait as rows until the worker runs."""


def waiting(task_name: str) -> int:
    return DBTaskResult.objects.filter(status="READY", task_path__endswith=f".{task_name}").count()


def test_following_an_experiment_mails_through_a_task(client, queue, mailoutbox):
    organisation = Organisation.objects.get(municipality_id="297")
    lead = UserFactory()
    MembershipFactory(organisation=organisation, user=lead)
    experiment = ExperimentFactory(owner=organisation, status="planned")
    TeamMemberFactory(experiment=experiment, user=lead)
    follower = UserFactory(language="sv")
    client.force_login(follower)
    client.post(f"/sv/experiments/{experiment.slug}/follow/", {"follow": "1"})
    client.force_login(lead)

    response = client.post(f"/fi/experiments/{experiment.slug}/stage/", {"to": "running"})

    assert response.status_code == 302
    assert mailoutbox == []  # the request only queued the work
    assert waiting("stage_changed_send") == 1
    run_worker()
    assert [m.to for m in mailoutbox] == [[follower.email]]
    assert experiment.title in mailoutbox[0].subject + mailoutbox[0].body
    mail_tasks = DBTaskResult.objects.filter(status="SUCCESSFUL").exclude(
        task_path__endswith=".apply_engine_changes"  # the stage change, into the case bank
    )
    assert mail_tasks.count() == 2  # find, then send


def test_a_funding_decision_mails_the_applicant_through_a_task(queue, mailoutbox):
    helsinki = Organisation.objects.get(slug="helsinki")
    lead = UserFactory()
    MembershipFactory(organisation=helsinki, user=lead)
    experiment = ExperimentFactory(owner=helsinki, status="running", created_by=lead)
    experiment.team.create(user=lead, role="lead")
    call = CallFactory()
    application = funding.application_create(call=call, experiment=experiment, by=lead)
    question = call.questions.first()
    funding.application_save(
        application=application,
        by=lead,
        summary="Kokeilemme tilojen varaamista verkossa kolmessa kirjastossa.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Ovien etäavaus", Decimal("8000"))],
        answers={question.pk: "Opimme, miksi kuntalaiset eivät varaa tiloja."},
    )
    funding.application_submit(application=application, by=lead)
    reviewed(application)
    run_worker()
    mailoutbox.clear()
    coordinator = UserFactory(
        roles=[PlatformRole.COORDINATOR], totp=True, contact_title="kehittämispäällikkö"
    )

    funding.decision_make(
        application=application,
        by=coordinator,
        outcome=ApplicationStatus.APPROVED,
        granted_amount=Decimal("6000"),
        reasoning="Hyvä.",
    )

    assert mailoutbox == []
    assert waiting("decision_made_send") == 1
    run_worker()
    assert [m.to for m in mailoutbox] == [[lead.email]]


def test_an_invitation_is_mailed_through_a_task(client, queue, mailoutbox):
    organisation = Organisation.objects.get(municipality_id="297")
    admin = UserFactory(totp=True)
    MembershipFactory(organisation=organisation, user=admin, role=MembershipRole.ADMIN)
    client.force_login(admin)

    response = client.post(
        f"/en/organisations/{organisation.slug}/members/",
        {"email": "uusi@example.fi", "role": "member"},
    )

    assert response.status_code == 302
    assert mailoutbox == []
    assert waiting("send_email") == 1
    run_worker()
    assert [m.to for m in mailoutbox] == [["uusi@example.fi"]]
    assert "/mine/invitations/" in mailoutbox[0].body


def test_saving_an_experiment_never_loads_the_model_in_the_request(client, queue):
    organisation = Organisation.objects.get(municipality_id="297")
    lead = UserFactory()
    MembershipFactory(organisation=organisation, user=lead)
    client.force_login(lead)

    response = client.post(
        "/fi/experiments/new/",
        {
            "owner": organisation.pk,
            "title": "Kirjaston tilavaraus verkossa",
            "summary": "Kuntalaiset varaavat kirjaston tilat verkossa.",
            "language": "fi",
            "visibility": "public",
        },
    )

    assert response.status_code == 302
    experiment = Experiment.objects.get(title="Kirjaston tilavaraus verkossa")
    assert not ExperimentVector.objects.filter(experiment=experiment).exists()
    queued = DBTaskResult.objects.get(task_path__endswith=".experiment_vectors_update")
    assert queued.queue_name == "embeddings"
    assert queued.args_kwargs["kwargs"]["experiment_ids"] == [experiment.pk]
    run_worker()
    assert ExperimentVector.objects.filter(experiment=experiment).exists()


@task_with_retries(attempts=3, backoff_seconds=30)
def always_fails() -> None:
    raise ConnectionRefusedError("mail.example.fi refused the message for person@example.fi")


def test_a_failing_task_is_retried_then_shown_on_the_status_page(client, queue):
    always_fails.enqueue()
    delays = []
    for _attempt in range(3):
        run_worker()
        waiting_rows = DBTaskResult.objects.filter(status="READY")
        for row in waiting_rows:  # the backoff has passed
            delays.append(round((row.run_after - row.enqueued_at).total_seconds() / 30))
        waiting_rows.update(run_after=timezone.now() - timedelta(seconds=1))

    assert delays == [1, 2]  # 30 s, then 60 s
    rows = DBTaskResult.objects.order_by("enqueued_at")
    assert [row.status for row in rows] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert rows[0].return_value["retried"].startswith("ConnectionRefusedError")
    assert [row.args_kwargs["kwargs"].get("attempt", 1) for row in rows] == [1, 2, 3]

    assert client.get("/en/admin/status/").status_code == 302  # staff only
    client.force_login(UserFactory())
    assert client.get("/en/admin/status/").status_code == 302
    client.force_login(UserFactory(is_staff=True, totp=True))
    html = client.get("/en/admin/status/").content.decode()
    assert "always_fails" in html
    assert "ConnectionRefusedError: mail.example.fi refused the message for [email]" in html
    assert "person@example.fi" not in html
    assert "<td>3</td>" in html  # attempts


def test_a_task_queued_in_a_rolled_back_transaction_never_runs(queue, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_email, subject="Hei", body="Hei", to=["a@example.fi"])
        raise RuntimeError("the write failed")
    run_worker()
    assert mailoutbox == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_tests_run_tasks_at_once_after_the_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(send_email, subject="Hei", body="Hei", to=["a@example.fi"])
        assert mailoutbox == []  # not before the commit
    assert [m.to for m in mailoutbox] == [["a@example.fi"]]


def test_daily_jobs_are_queued_for_the_worker(queue):
    call_command("enqueue_daily", verbosity=0)
    assert waiting("send_follow_ups") == waiting("purge_audit") == 1
    run_worker()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_many_messages_are_queued_in_one_insert_with_their_headers(
    queue, mailoutbox, django_assert_max_num_queries
):
    messages = [
        EmailMessage(
            subject=f"Hei {n}",
            body="Hei",
            to=[f"person{n}@example.fi"],
            headers={"List-Unsubscribe": f"<https://example.fi/u/{n}/>"},
        )
        for n in range(40)
    ]
    with django_assert_max_num_queries(3), transaction.atomic():  # BEGIN, INSERT, COMMIT
        assert enqueue_messages(messages) == 40
    assert waiting("send_email") == 40
    run_worker()
    assert len(mailoutbox) == 40
    sent = {m.to[0]: m for m in mailoutbox}
    assert sent["person7@example.fi"].extra_headers["List-Unsubscribe"] == (
        "<https://example.fi/u/7/>"
    )
