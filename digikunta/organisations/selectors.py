"""Reads about organisations."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from digikunta.core.permissions import can
from digikunta.organisations.models import Membership, Organisation


def organisations_list(*, query: str = "", kind: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("municipality", "region").annotate(
        member_count=Count("memberships")
    )
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query)
            | Q(name_sv__icontains=query)
            | Q(municipality__name_sv__icontains=query)
        )
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name")


def get_organisation_for_user_or_404(user: Any, slug: str, *, action: str = "view") -> Organisation:
    """The organisation if ``user`` may ``action`` it; 404 when not found, 403 otherwise."""
    from django.core.exceptions import PermissionDenied

    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality__region", "region", "home_municipality"),
        slug=slug,
    )
    if not can(user, "view", organisation):
        raise Http404
    if action != "view" and not can(user, action, organisation):
        raise PermissionDenied
    return organisation


def memberships_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by(
        "-role", "user__name", "user__email"
    )
