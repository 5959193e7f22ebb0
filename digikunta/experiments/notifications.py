"""E-mail to followers and leads, each in their own language, sent by a worker after the commit.

A request only queues a task with ids (core/tasks.py); the task finds the recipients and hands
them to notifications.services.deliver, which follows each person's choice for the kind
(immediately, a daily digest or off; issue 11). ``_message`` and ``_send`` remain for the
transactional e-mail of funding, which nobody can switch off.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from digikunta.core.links import absolute_url
from digikunta.core.permissions import can
from digikunta.core.tasks import enqueue_messages, enqueue_on_commit, task_with_retries
from digikunta.experiments.models import Experiment, FollowUp, Outcome, Status, TeamRole, Visibility
from digikunta.notifications.kinds import Kind, Params, register
from digikunta.notifications.services import deliver

# Results and lessons in a notification: the page has the rest, the digest's rows stay small.
EXCERPT_CHARS = 1500


def _stage_labels(params: Params) -> dict[str, Any]:
    """The stage and outcome of ``params`` in the recipient's language."""
    outcome = str(params.get("outcome") or "")
    return {
        "stage_label": Status(str(params["stage"])).label,
        "outcome_label": Outcome(outcome).label if outcome in Outcome.values else "",
    }


EXPERIMENT_UPDATES = register(
    Kind(
        key="experiment_updates",
        label=_("Experiments you follow"),
        description=_(
            "An experiment you follow, or one in a municipality you follow, moves to a new "
            "stage, with its results once it ends."
        ),
        context=_stage_labels,
    )
)
FOLLOW_UP_QUESTIONS = register(
    Kind(
        key="experiment_follow_up",
        label=_("Follow-up questions about your experiments"),
        description=_(
            "Six and twelve months after an experiment you lead ended, we ask whether the "
            "change lasted."
        ),
    )
)


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


def follower_ids(experiment: Experiment) -> Iterator[int]:
    """The ids of the active people who follow the experiment or one of its municipalities and
    may still see it: a members-only experiment is never mailed to someone outside it. Read
    with a cursor: a city's followers may be tens of thousands."""
    users = (
        get_user_model()
        .objects.filter(
            Q(follows__experiment=experiment)
            | Q(follows__municipality__in=experiment.municipalities.all()),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    if experiment.visibility == Visibility.PUBLIC:  # everyone may see it: no check per person
        yield from users.values_list("pk", flat=True).iterator(chunk_size=2000)
        return
    for user in users.iterator(chunk_size=500):
        if can(user, "view", experiment):
            yield user.pk


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
    params: dict[str, str | int] = {
        "title": experiment.title,
        "stage": experiment.status,
        "from_stage": from_status,
        "outcome": experiment.outcome,
        "results": Truncator(experiment.results).chars(EXCERPT_CHARS),
        "lessons": Truncator(experiment.lessons).chars(EXCERPT_CHARS),
    }
    return deliver(
        follower_ids(experiment),
        kind=EXPERIMENT_UPDATES.key,
        template="experiments/email/stage_changed",
        params=params,
        link=("experiments:experiment_detail", [experiment.slug]),
        exclude=by_id,
    )


def leads_of(experiment: Experiment) -> list[Any]:
    leads = [m.user for m in experiment.team.filter(role=TeamRole.LEAD, user__is_active=True)]
    if leads:
        return leads
    return [m.user for m in experiment.owner.memberships.filter(role="admin", user__is_active=True)]


def send_follow_up(follow_up: FollowUp) -> int:
    """Ask the leads of the experiment whether the change lasted; returns the messages queued
    or kept for a digest. Called by a command or a daily task inside the transaction that
    claims the follow-up, so the mail goes if it commits."""
    experiment = follow_up.experiment
    return deliver(
        [user.pk for user in leads_of(experiment)],
        kind=FOLLOW_UP_QUESTIONS.key,
        template="experiments/email/follow_up",
        params={"title": experiment.title, "months": follow_up.months},
        link=("experiments:follow_up_answer", [experiment.slug, follow_up.pk]),
    )
