"""What one person has on the platform and what waits for them (Oma Digikunta, issue 10).

The app sits above the others: it reads each of them, none of them reads it. Every list is one
query (or two), whatever its length, and is cut to ``LIMIT`` rows.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digikunta.core.permissions import can
from digikunta.experiments.models import Follow, TeamMember, TeamRole, Visibility
from digikunta.experiments.selectors import leftover_step_counts
from digikunta.funding.models import Application, ApplicationStatus, ReviewAssignment
from digikunta.moderation.models import Report
from digikunta.moderation.selectors import open_report_count
from digikunta.organisations.models import (
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
)
from digikunta.organisations.selectors import invitations_for

LIMIT = 20


@dataclass
class Waiting:
    """One thing that waits for the person: what it is, and the link that does it."""

    text: str
    url: str
    action: str


def team_roles_of(user: Any) -> list[TeamMember]:
    return list(
        TeamMember.objects.filter(user=user)
        .select_related("experiment__owner__municipality", "experiment__owner__region")
        .order_by("-experiment__updated_at")[:LIMIT]
    )


def memberships_of_person(user: Any) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("organisation__municipality", "organisation__region")
        .order_by("organisation__name")[:LIMIT]
    )


def applications_of(user: Any) -> list[Application]:
    """Applications the person wrote or whose experiment's team they are on."""
    teams = TeamMember.objects.filter(user=user).values("experiment_id")
    return list(
        Application.objects.filter(Q(created_by=user) | Q(experiment_id__in=teams))
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("call", "experiment")
        .order_by("-created_at")[:LIMIT]
    )


def reviews_of(user: Any) -> list[ReviewAssignment]:
    return list(
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("application__call", "application__experiment")
        .order_by("submitted_at", "-pk")[:LIMIT]
    )


def follows_of(user: Any) -> list[Follow]:
    return list(
        Follow.objects.filter(user=user)
        .select_related("experiment", "municipality")
        .order_by("-pk")[:LIMIT]
    )


def waiting_for(
    user: Any,
    *,
    teams: list[TeamMember],
    memberships: list[Membership],
    applications: list[Application],
    reviews: list[ReviewAssignment],
) -> list[Waiting]:
    """The next actions, most pressing first: invitations, requests to join to answer,
    reported content for a moderator, reviews to write, applications to finish, steps of
    evaluated experiments still planned, drafts to publish."""
    waiting: list[Waiting] = []
    for invitation in invitations_for(user)[:LIMIT]:
        waiting.append(
            Waiting(
                _("%(organisation)s invites you to join.")
                % {"organisation": invitation.organisation.display_name},
                reverse("organisations:invitation_list"),
                _("Answer"),
            )
        )
    administered = {
        m.organisation_id: m.organisation for m in memberships if m.role == MembershipRole.ADMIN
    }
    if administered:
        requests = (
            JoinRequest.objects.filter(
                organisation_id__in=list(administered), status=JoinRequestStatus.PENDING
            )
            .values("organisation_id")
            .annotate(n=Count("pk"))
            .values_list("organisation_id", "n")
        )
        for pk, count in requests:
            organisation = administered[pk]
            waiting.append(
                Waiting(
                    ngettext(
                        "%(count)s person asks to join %(organisation)s.",
                        "%(count)s people ask to join %(organisation)s.",
                        count,
                    )
                    % {"count": count, "organisation": organisation.display_name},
                    reverse("organisations:organisation_members", args=[organisation.slug]),
                    _("Answer"),
                )
            )
    if can(user, "moderate", Report) and (reported := open_report_count()):
        waiting.append(
            Waiting(
                ngettext(
                    "One reported item waits for the moderators.",
                    "%(counter)s reported items wait for the moderators.",
                    reported,
                )
                % {"counter": reported},
                reverse("moderation:queue"),
                _("Moderate"),
            )
        )
    for review in reviews:
        if review.submitted_at is None:
            waiting.append(
                Waiting(
                    _("Review the application of “%(experiment)s”.")
                    % {"experiment": review.application.experiment.title},
                    review.get_absolute_url(),
                    _("Review"),
                )
            )
    for application in applications:
        if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
            waiting.append(
                Waiting(
                    _("Finish and submit the application of “%(experiment)s”.")
                    % {"experiment": application.experiment.title},
                    application.get_absolute_url(),
                    _("Continue"),
                )
            )
    led = [member.experiment for member in teams if member.role == TeamRole.LEAD]
    leftover = leftover_step_counts(led)
    for experiment in led:
        if count := leftover.get(experiment.pk):
            waiting.append(
                Waiting(
                    ngettext(
                        "“%(experiment)s” has been evaluated, but one step is still planned.",
                        "“%(experiment)s” has been evaluated, but %(counter)s steps are still "
                        "planned.",
                        count,
                    )
                    % {"experiment": experiment.title, "counter": count},
                    experiment.get_absolute_url() + "#steps",
                    _("Update the steps"),
                )
            )
    for member in teams:
        experiment = member.experiment
        if member.role == TeamRole.LEAD and experiment.visibility == Visibility.DRAFT:
            waiting.append(
                Waiting(
                    _("“%(experiment)s” is a draft that only its team sees.")
                    % {"experiment": experiment.title},
                    experiment.get_absolute_url(),
                    _("Publish"),
                )
            )
    return waiting
