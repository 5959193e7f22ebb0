"""E-mail of citizens' panels, in the recipient's language, sent by a worker after the commit:
the invitation of a drawn member (at first or as a replacement), with the deadline to answer.

A service queues one task with the volunteers' ids (core/tasks.py); the task renders each
message under the recipient's language and queues one ``send_email`` task per message.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from digikunta.core.links import absolute_url
from digikunta.core.tasks import enqueue_messages, enqueue_on_commit, task_with_retries
from digikunta.panels.models import Volunteer, VolunteerStatus


def notify_invited(volunteer_ids: list[int]) -> None:
    if volunteer_ids:
        enqueue_on_commit(invitations_send_task, volunteer_ids=list(volunteer_ids))


def invitation_message(volunteer: Volunteer) -> EmailMessage:
    """The invitation in the member's language, with the link to answer in that language."""
    user = volunteer.user
    if user is None:  # only reachable members are invited (services._Seats.invite)
        raise ValueError(f"volunteer {volunteer.pk} has no account")
    with translation.override(user.language or settings.LANGUAGE_CODE):
        panel = volunteer.panel
        context = {
            "volunteer": volunteer,
            "panel": panel,
            "process": panel.process,
            "user": user,
            "url": absolute_url(reverse("panels:invitation_detail", args=[panel.pk])),
            "draw_url": absolute_url(reverse("panels:draw_detail", args=[panel.pk])),
        }
        subject = render_to_string("panels/email/invitation_subject.txt", context).strip()
        body = render_to_string("panels/email/invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


@task_with_retries()
def invitations_send_task(*, volunteer_ids: list[int]) -> int:
    """Task: mail the invitations still waiting for an answer; returns how many were queued."""
    rows = Volunteer.objects.select_related("user", "panel__process").filter(
        pk__in=volunteer_ids, status=VolunteerStatus.INVITED, user__is_active=True
    )
    return enqueue_messages([invitation_message(row) for row in rows.order_by("pk")])
