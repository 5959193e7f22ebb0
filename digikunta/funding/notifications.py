"""E-mail of the accelerator, each in the recipient's language, sent after the commit."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from digikunta.accounts.models import PlatformRole
from digikunta.experiments.notifications import _message, _send, leads_of

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


def _after_commit(build: Any) -> None:
    transaction.on_commit(lambda: _send(build()))


def application_submitted(application: Any) -> None:
    """A receipt to the applicant with the promised decision date; a note to coordinators."""
    context = {"application": application, "call": application.call}

    def build() -> list:
        path = application.get_absolute_url
        return [
            _message(user, "submitted", context, path, folder=FOLDER)
            for user in applicants_of(application)
        ] + [
            _message(user, "submitted_coordinator", context, path, folder=FOLDER)
            for user in coordinators()
        ]

    _after_commit(build)


def review_assigned(assignments: list[Any]) -> None:
    def build() -> list:
        return [
            _message(
                a.reviewer,
                "review_assigned",
                {"assignment": a, "call": a.application.call},
                a.get_absolute_url,
                folder=FOLDER,
            )
            for a in assignments
        ]

    if assignments:
        _after_commit(build)


def decision_made(decision: Any) -> None:
    application = decision.application
    context = {"decision": decision, "application": application, "call": application.call}

    def build() -> list:
        return [
            _message(user, "decision", context, application.get_absolute_url, folder=FOLDER)
            for user in applicants_of(application)
        ]

    _after_commit(build)


def report_reminder(application: Any, *, kind: str, due_on: Any) -> int:
    """Ask for the final report: ``kind`` is "before" (due soon) or "overdue"."""
    context = {"application": application, "call": application.call, "due_on": due_on}

    def path() -> str:
        return reverse("funding:report", args=[application.pk])

    messages = [
        _message(user, f"report_{kind}", context, path, folder=FOLDER)
        for user in applicants_of(application)
    ]
    _send(messages)
    return len(messages)
