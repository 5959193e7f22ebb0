"""One door per budgeting object, for pages and API alike (as participation/access.py): what a
person may not see is a 404, what they may see but not change is a 403."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from digikunta.budgeting.models import BudgetArea, Project
from digikunta.core.permissions import can
from digikunta.participation.access import get_process_for_user_or_404
from digikunta.participation.models import Process

__all__ = ["get_area_for_user_or_404", "get_process_for_user_or_404", "get_project_for_user_or_404"]


def get_area_for_user_or_404(
    user: Any, process: Process, pk: int, action: str = "view"
) -> BudgetArea:
    area = get_object_or_404(BudgetArea.objects.select_related("process"), pk=pk, process=process)
    if not can(user, "view", area):
        raise Http404
    if action != "view" and not can(user, action, area):
        raise PermissionDenied
    return area


def get_project_for_user_or_404(
    user: Any, process: Process, pk: int, action: str = "view"
) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("area__process", "idea"), pk=pk, area__process=process
    )
    if not can(user, "view", project):
        raise Http404
    if action != "view" and not can(user, action, project):
        raise PermissionDenied
    return project
