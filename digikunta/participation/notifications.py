"""What participation tells people, sent by a worker after the commit: the official answer to
an idea and the experiment that takes it forward, to its author, supporters and followers.

A request queues one task with ids; the task finds the recipients in chunks of ids and hands
them on, so a popular idea with 10,000 supporters is one task, not 10,000."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from digikunta.core.links import absolute_url
from digikunta.core.tasks import enqueue_messages, enqueue_on_commit, task_with_retries
from digikunta.experiments.models import Visibility
from digikunta.participation.models import Idea, IdeaFollow, Support

CHUNK = 1000


def audience(idea: Idea) -> Iterator[list[int]]:
    """The ids of the idea's author, supporters and followers, once each, in chunks."""
    ids = set(Support.objects.filter(idea=idea).values_list("user_id", flat=True))
    ids |= set(IdeaFollow.objects.filter(idea=idea).values_list("user_id", flat=True))
    if idea.author_id:
        ids.add(idea.author_id)
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def deliver(
    user_ids: list[int],
    *,
    template: str,
    params: dict[str, Any],
    link: tuple[str, list[Any]],
    exclude: int | None = None,
) -> int:
    """One e-mail per active recipient in their own language, with the link in that language."""
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(pk=exclude)
    messages = []
    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {**params, "user": user, "url": absolute_url(reverse(link[0], args=link[1]))}
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}.txt", context)
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    return enqueue_messages(messages)


def notify_answer(idea: Idea, *, by: Any) -> None:
    enqueue_on_commit(answer_send, idea_id=idea.pk, by_id=by.pk if by else None)


@task_with_retries()
def answer_send(*, idea_id: int, by_id: int | None) -> int:
    """Task: tell the idea's people of its official answer; returns how many were told."""
    idea = Idea.objects.select_related("answer", "process").filter(pk=idea_id).first()
    if idea is None or not hasattr(idea, "answer"):
        return 0
    params = {
        "idea_title": idea.title,
        "status": idea.answer.status,
        "office": idea.answer.office,
        "reasoning": idea.answer.reasoning,
    }
    return sum(
        deliver(
            chunk,
            template="participation/email/idea_answered",
            params=params,
            link=("participation:idea_detail", [idea.pk]),
            exclude=by_id,
        )
        for chunk in audience(idea)
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
    params = {"idea_title": idea.title, "experiment_title": experiment.title}
    return sum(
        deliver(
            chunk,
            template="participation/email/idea_experiment",
            params=params,
            link=("participation:idea_detail", [idea.pk]),
        )
        for chunk in audience(idea)
    )
