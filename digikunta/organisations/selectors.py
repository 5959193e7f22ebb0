"""Reads about organisations."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from digikunta.accounts.models import hash_token
from digikunta.core.permissions import can
from digikunta.core.privacy import verified_addresses
from digikunta.organisations.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
)


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


def invitations_for(user: Any) -> QuerySet[Invitation]:
    """Open invitations to the person's verified addresses (none for anonymous people)."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.open()
        .filter(email__in=verified_addresses(user))
        .select_related("organisation__municipality", "organisation__region")
        .order_by("-created_at")
    )


def get_invitation_for_user_or_404(
    user: Any, *, pk: int | None = None, token: str | None = None
) -> Invitation:
    """An open invitation by id or by the link's token, only for the person it was sent to:
    404 otherwise, so that no one learns whom an organisation has invited."""
    invitations = invitations_for(user)
    if token is not None:
        invitations = invitations.filter(token_digest=hash_token(token))
    if pk is not None:
        invitations = invitations.filter(pk=pk)
    invitation = invitations.first() if (pk, token) != (None, None) else None
    if invitation is None:
        raise Http404
    return invitation


def open_invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    """The organisation's unanswered invitations, for its administrators."""
    return organisation.invitations.open().order_by("email")


def contacts(organisations: Any, *, limit: int = 30) -> list[Membership]:
    """The people of ``organisations`` (a queryset or ids) who are open for contact, each
    with the organisation they belong to, by name: the one place where a page shows a person
    beyond their name, and only by their own choice (accounts.User.open_for_contact)."""
    return list(
        Membership.objects.filter(
            organisation__in=organisations, user__open_for_contact=True, user__is_active=True
        )
        .select_related("user", "organisation__municipality", "organisation__region")
        .order_by("user__name", "user_id", "organisation_id")[:limit]
    )


def involved_in(
    experiments: QuerySet, *, also: QuerySet | None = None, limit: int = 30
) -> list[Organisation]:
    """The organisations that own or are partners in ``experiments`` (a queryset of them),
    and those of ``also``, by name."""
    partners = experiments.model.partners.through.objects.filter(
        experiment__in=experiments.values("pk")
    ).values("organisation_id")
    involved = Q(pk__in=experiments.values("owner_id")) | Q(pk__in=partners)
    if also is not None:
        involved |= Q(pk__in=also.values("pk"))
    return list(
        Organisation.objects.filter(involved)
        .select_related("municipality", "region")
        .order_by("name", "pk")[:limit]
    )


def pending_join_requests(organisation: Organisation) -> list[JoinRequest]:
    """The requests to join ``organisation`` that wait for its administrators, oldest first."""
    return list(
        organisation.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("user")
    )


def own_join_request(user: Any, organisation: Organisation) -> JoinRequest | None:
    """The person's waiting request to join ``organisation``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return organisation.join_requests.filter(user=user, status=JoinRequestStatus.PENDING).first()
