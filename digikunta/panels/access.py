"""One door per panel object, for pages and API alike: what a person may not see is a 404,
what they may see but not do is a 403 (as participation/access.py)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from digikunta.core.permissions import can
from digikunta.panels.models import CitizensPanel, Volunteer, VolunteerStatus

# The statuses in which a person has an invitation to look at: open, answered or lapsed.
INVITED = [
    VolunteerStatus.INVITED,
    VolunteerStatus.ACCEPTED,
    VolunteerStatus.DECLINED,
    VolunteerStatus.NO_ANSWER,
]


def get_panel_for_user_or_404(user: Any, pk: int, *, action: str = "view") -> CitizensPanel:
    panel = get_object_or_404(CitizensPanel.objects.select_related("process__organiser"), pk=pk)
    if not can(user, "view", panel):
        raise Http404
    if action != "view" and not can(user, action, panel):
        raise PermissionDenied
    return panel


def get_invitation_for_user_or_404(user: Any, panel_pk: int) -> Volunteer:
    """The person's own invitation to a panel; nobody else's, ever (404)."""
    panel = get_panel_for_user_or_404(user, panel_pk)
    return get_object_or_404(
        Volunteer.objects.select_related("panel__process", "area"),
        panel=panel,
        user=user,
        status__in=INVITED,
    )
