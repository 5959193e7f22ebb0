"""One door per funding object: fetch it for a person, or answer 404/403, for pages and API alike.

What a person may not see is answered with 404, so that its existence is not revealed; what
they may see but not do is answered with 403 (PermissionDenied). The rules are in rules.py.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from digikunta.core.permissions import can
from digikunta.funding.models import Application, Call, Decision, Instalment, ReviewAssignment


def calls_for_user(user: Any) -> QuerySet[Call]:
    """The calls a person may see: the published ones, and drafts too for those who run calls."""
    calls = Call.objects.select_related("organiser").prefetch_related(
        "themes", "eligible_regions", "criteria", "questions"
    )
    return calls if can(user, "manage", Call) else calls.published()


def get_call_for_user_or_404(
    user: Any, *, slug: str | None = None, pk: int | None = None, action: str = "view"
) -> Call:
    lookup: dict[str, Any] = {"slug": slug} if slug is not None else {"pk": pk}
    call = get_object_or_404(Call.objects.select_related("organiser"), **lookup)
    if not can(user, "view", call):
        raise Http404
    if action != "view" and not can(user, action, call):
        raise PermissionDenied
    return call


def get_application_for_user_or_404(user: Any, pk: int, action: str = "view") -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call__organiser", "experiment", "applicant"), pk=pk
    )
    if not can(user, "view", application):
        raise Http404
    if action != "view" and not can(user, action, application):
        raise PermissionDenied
    return application


def get_assignment_for_user_or_404(
    user: Any, pk: int, action: str = "open_review"
) -> ReviewAssignment:
    """A reviewer's own assignment. Never shown to someone of the applicant organisation, even
    if assigned by mistake, nor to someone whose reviewer role was revoked (issue 8): the rule,
    not the assignment, decides."""
    if not user.is_authenticated:
        raise Http404
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("application__call", "application__experiment"),
        pk=pk,
        reviewer=user,
    )
    if not can(user, "open_review", assignment.application):
        raise Http404
    if action != "open_review" and not can(user, action, assignment.application):
        raise PermissionDenied
    return assignment


def get_decision_for_user_or_404(user: Any, pk: int) -> Decision:
    """A decision as a document: for those who may see its application (applicants, reviewers
    assigned, coordinators)."""
    decision = get_object_or_404(
        Decision.objects.select_related(
            "application__call__organiser", "application__experiment", "application__applicant"
        ),
        pk=pk,
    )
    if not can(user, "view", decision.application):
        raise Http404
    return decision


def get_instalment_for_user_or_404(user: Any, pk: int, action: str = "pay") -> Instalment:
    """An instalment, for recording its payments: coordinators only."""
    instalment = get_object_or_404(Instalment.objects.select_related("application__call"), pk=pk)
    if not can(user, "view", instalment.application):
        raise Http404
    if not can(user, action, instalment.application):
        raise PermissionDenied
    return instalment
