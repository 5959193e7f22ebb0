"""Reads of resident participation that span models or depend on the viewer."""

from typing import Any

from django.db.models import Q, QuerySet

from digikunta.organisations.rules import organisation_roles
from digikunta.participation.models import Process
from digikunta.participation.rules import staff


def processes_for(user: Any) -> QuerySet[Process]:
    """The processes a person may see: the published ones, and the drafts of those they run
    (the same rule as ``participation.view_process``)."""
    processes = Process.objects.select_related("organiser").prefetch_related("phases")
    if not user.is_authenticated:
        return processes.published()
    if staff(user):
        return processes
    admin_of = [pk for pk, role in organisation_roles(user).items() if role == "admin"]
    return processes.filter(Q(published_at__isnull=False) | Q(organiser__in=admin_of))
