"""E-mail of the accelerator, each in the recipient's language, sent by a worker after the commit.

A service queues a task with ids only (core/tasks.py); the task reads the rows, renders each
message in the recipient's language and queues one ``send_email`` task per message.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from digikunta.accounts.models import PlatformRole
from digikunta.core.tasks import enqueue_messages, enqueue_on_commit, task_with_retries
from digikunta.experiments.notifications import _message, _send, leads_of
from digikunta.funding.documents import decision_document
from digikunta.funding.models import Application, Decision, ReviewAssignment

FOLDER = "funding/email"


def applicants_of(application: Any) -> list[Any]:
    """Who applied and who leads the experiment, once each."""
    people = {}
    if application.created_by and application.created_by.is_active:
        people[application.created_by.pk] = application.created_by
    for user in leads_of(application.experiment):
        people.setdefault(user.pk, user)
    return list(people.values())


def coordinators() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(role_assignments__role=PlatformRole.COORDINATOR, is_active=True)
        .distinct()
    )


def application_submitted(application: Any) -> None:
    """A receipt to the applicant with the promised decision date; a note to coordinators."""
    enqueue_on_commit(application_submitted_send, application_id=application.pk)


@task_with_retries()
def application_submitted_send(*, application_id: int) -> int:
    """Task: the receipt and the coordinators' note of a submitted application."""
    application = (
        Application.objects.select_related("call", "experiment__owner", "created_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    context = {"application": application, "call": application.call}
    path = application.get_absolute_url
    return _send(
        [
            _message(user, "submitted", context, path, folder=FOLDER)
            for user in applicants_of(application)
        ]
        + [
            _message(user, "submitted_coordinator", context, path, folder=FOLDER)
            for user in coordinators()
        ]
    )


def review_assigned(assignments: list[Any]) -> None:
    if assignments:
        enqueue_on_commit(review_assigned_send, assignment_ids=[a.pk for a in assignments])


@task_with_retries()
def review_assigned_send(*, assignment_ids: list[int]) -> int:
    """Task: tell each reviewer of their new assignment."""
    assignments = ReviewAssignment.objects.select_related("reviewer", "application__call").filter(
        pk__in=assignment_ids
    )
    return _send(
        [
            _message(
                a.reviewer,
                "review_assigned",
                {"assignment": a, "call": a.application.call},
                a.get_absolute_url,
                folder=FOLDER,
            )
            for a in assignments
        ]
    )


def decision_made(decision: Any) -> None:
    enqueue_on_commit(decision_made_send, decision_id=decision.pk)


@task_with_retries()
def decision_made_send(*, decision_id: int) -> int:
    """Task: make the decision's PDF (once) and send it to the applicants with the decision."""
    decision = (
        Decision.objects.select_related(
            "application__call__organiser",
            "application__experiment__owner",
            "application__applicant",
            "application__created_by",
        )
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return 0
    decision_document(decision)
    application = decision.application
    context = {"decision": decision, "application": application, "call": application.call}
    return enqueue_messages(
        [
            _message(user, "decision", context, decision.get_absolute_url, folder=FOLDER)
            for user in applicants_of(application)
        ],
        stored_attachments=[[decision.document.name, decision.document_name, "application/pdf"]],
    )


def report_reminder(application: Any, *, kind: str, due_on: Any) -> int:
    """Ask for the final report: ``kind`` is "before" (due soon) or "overdue". Called inside
    the transaction that records the reminder; returns the messages queued."""
    context = {"application": application, "call": application.call, "due_on": due_on}

    def path() -> str:
        return reverse("funding:report", args=[application.pk])

    return _send(
        [
            _message(user, f"report_{kind}", context, path, folder=FOLDER)
            for user in applicants_of(application)
        ]
    )
