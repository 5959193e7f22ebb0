"""One door per participation object: fetch it for a person, or answer 404/403, for pages and
API alike (as funding/access.py): what a person may not see is a 404, what they may see but not
do is a 403."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from digikunta.core.permissions import can
from digikunta.participation.models import Idea, Process


def get_process_for_user_or_404(user: Any, *, slug: str, action: str = "view") -> Process:
    process = get_object_or_404(Process.objects.select_related("organiser"), slug=slug)
    if not can(user, "view", process):
        raise Http404
    if action != "view" and not can(user, action, process):
        raise PermissionDenied
    return process


def get_idea_for_user_or_404(user: Any, pk: int, action: str = "view") -> Idea:
    idea = get_object_or_404(
        Idea.objects.select_related("process__organiser", "author", "theme", "experiment"), pk=pk
    )
    if not can(user, "view", idea):
        raise Http404
    if action != "view" and not can(user, action, idea):
        raise PermissionDenied
    return idea
