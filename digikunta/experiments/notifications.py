"""E-mail to followers and leads, each in their own language, sent by a worker after the commit.

A request only queues a task with ids (core/tasks.py); the task finds the recipients, renders
each message in the recipient's language and queues one ``send_email`` task per message.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from digikunta.core.links import absolute_url
from digikunta.core.permissions import can
from digikunta.core.tasks import enqueue_messages, enqueue_on_commit, task_with_retries
from digikunta.experiments.models import Experiment, FollowUp, TeamRole


def _message(
    user: Any,
    template: str,
    context: dict[str, Any],
    path: Callable[[], str],
    *,
    folder: str = "experiments/email",
) -> EmailMessage:
    """One e-mail in the recipient's language, with the link in that language too."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {**context, "user": user, "url": absolute_url(path())}
        subject = render_to_string(f"{folder}/{template}_subject.txt", context).strip()
        body = render_to_string(f"{folder}/{template}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _send(messages: list[EmailMessage]) -> int:
    """Queue the rendered messages, one task each (core/tasks.py)."""
    return enqueue_messages(messages)


def followers_of(experiment: Experiment, *, exclude: Any = None) -> list[Any]:
    """People who follow the experiment or one of its municipalities, once each, and may still
    see it: a members-only experiment is never mailed to someone outside it."""
    users = get_user_model().objects.filter(
        Q(follows__experiment=experiment)
        | Q(follows__municipality__in=experiment.municipalities.all()),
        is_active=True,
    )
    if exclude is not None and exclude.pk:
        users = users.exclude(pk=exclude.pk)
    return [user for user in users.distinct() if can(user, "view", experiment)]


def notify_transition(experiment: Experiment, *, from_status: str, by: Any) -> None:
    """After the move commits, tell the followers about the new stage (and results, if any)."""
    enqueue_on_commit(
        stage_changed_send,
        experiment_id=experiment.pk,
        from_status=from_status,
        by_id=by.pk if by is not None else None,
    )


@task_with_retries()
def stage_changed_send(*, experiment_id: int, from_status: str, by_id: int | None) -> int:
    """Task: mail the followers of the experiment about its new stage; returns how many."""
    experiment = Experiment.objects.filter(pk=experiment_id).first()
    if experiment is None:
        return 0
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    context = {"experiment": experiment, "from_status": from_status}
    return _send(
        [
            _message(user, "stage_changed", context, experiment.get_absolute_url)
            for user in followers_of(experiment, exclude=by)
        ]
    )


def leads_of(experiment: Experiment) -> list[Any]:
    leads = [m.user for m in experiment.team.filter(role=TeamRole.LEAD, user__is_active=True)]
    if leads:
        return leads
    return [m.user for m in experiment.owner.memberships.filter(role="admin", user__is_active=True)]


def send_follow_up(follow_up: FollowUp) -> int:
    """Ask the leads of the experiment whether the change lasted; returns the messages queued.
    Called inside the transaction that claims the follow-up, so the mail goes if it commits."""
    experiment = follow_up.experiment
    context = {"experiment": experiment, "follow_up": follow_up}

    def path() -> str:
        return reverse("experiments:follow_up_answer", args=[experiment.slug, follow_up.pk])

    messages = [_message(user, "follow_up", context, path) for user in leads_of(experiment)]
    return _send(messages)
