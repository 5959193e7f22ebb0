"""What participation tells people, sent by a worker after the commit: the official answer to
an idea and the experiment that takes it forward, to its author, supporters and followers.

A request queues one task with ids; the task reads the recipients' ids in a stable order and
hands them to notifications.services.deliver, which follows each person's choice for the kind
(immediately, a daily digest or off) and sends in chunks: a popular idea with 10,000 supporters
is one task, not 10,000.
"""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from digikunta.core.tasks import enqueue_on_commit, task_with_retries
from digikunta.experiments.models import Visibility
from digikunta.notifications.kinds import Kind, Params, register
from digikunta.notifications.services import deliver
from digikunta.participation.models import AnswerStatus, Idea

# The reasoning in a notification: the idea's page has the rest, the digest's rows stay small.
EXCERPT_CHARS = 1500


def _answer_labels(params: Params) -> dict[str, Any]:
    status = str(params.get("status") or "")
    return {"status_label": AnswerStatus(status).label if status in AnswerStatus.values else ""}


IDEA_ANSWERED = register(
    Kind(
        key="idea_answered",
        label=_("Answers to ideas"),
        description=_("The municipality answers an idea you posted, support or follow."),
        context=_answer_labels,
    )
)
IDEA_UPDATES = register(
    Kind(
        key="idea_updates",
        label=_("Ideas taken forward"),
        description=_("An experiment takes forward an idea you posted, support or follow."),
    )
)


def audience(idea: Idea) -> Iterator[int]:
    """The ids of the idea's author, supporters and followers, once each, in id order, read
    with a cursor."""
    people = (
        get_user_model()
        .objects.filter(
            Q(pk=idea.author_id) | Q(supports__idea=idea) | Q(idea_follows__idea=idea),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    yield from people.values_list("pk", flat=True).iterator(chunk_size=2000)


def notify_answer(idea: Idea, *, by: Any) -> None:
    enqueue_on_commit(answer_send, idea_id=idea.pk, by_id=by.pk if by else None)


@task_with_retries()
def answer_send(*, idea_id: int, by_id: int | None) -> int:
    """Task: tell the idea's people of its official answer; returns how many were told."""
    idea = Idea.objects.select_related("answer").filter(pk=idea_id).first()
    if idea is None or not hasattr(idea, "answer"):
        return 0
    params: dict[str, str | int] = {
        "idea_title": idea.title,
        "status": idea.answer.status,
        "office": idea.answer.office,
        "reasoning": Truncator(idea.answer.reasoning).chars(EXCERPT_CHARS),
    }
    return deliver(
        audience(idea),
        kind=IDEA_ANSWERED.key,
        template="participation/email/idea_answered",
        params=params,
        link=("participation:idea_detail", [idea.pk]),
        exclude=by_id,
    )


def notify_experiment_link(idea: Idea) -> None:
    enqueue_on_commit(experiment_link_send, idea_id=idea.pk)


@task_with_retries()
def experiment_link_send(*, idea_id: int) -> int:
    """Task: tell the idea's people that an experiment takes it forward."""
    idea = Idea.objects.select_related("experiment").filter(pk=idea_id).first()
    experiment = idea.experiment if idea else None
    if idea is None or experiment is None or experiment.visibility != Visibility.PUBLIC:
        return 0
    return deliver(
        audience(idea),
        kind=IDEA_UPDATES.key,
        template="participation/email/idea_experiment",
        params={"idea_title": idea.title, "experiment_title": experiment.title},
        link=("participation:idea_detail", [idea.pk]),
    )
