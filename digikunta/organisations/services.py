"""Writes about organisations and their members.

People join an organisation, or become its administrator, only by accepting an invitation
(issue 8): ``invitation_send`` offers, ``invitation_accept`` is the one door to membership.
"""

import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digikunta.accounts.models import User, hash_token
from digikunta.accounts.selectors import forget
from digikunta.audit.models import AuditAction
from digikunta.audit.services import audit_record
from digikunta.core.links import absolute_url
from digikunta.core.privacy import verified_addresses
from digikunta.core.slugs import unique_slug as core_unique_slug
from digikunta.core.tasks import enqueue_messages, enqueue_on_commit
from digikunta.experiments.tasks import reindex_owned_by
from digikunta.organisations.models import (
    INVITATION_VALID_DAYS,
    SELF_SERVICE_KINDS,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    Organisation,
)


def unique_slug(name: str) -> str:
    return core_unique_slug(Organisation, name, max_length=70, fallback="org")


# The fields experiments' search text reads from their owner (experiments/search_text.py).
SEARCHED_FIELDS = {"name", "name_sv"}


def _forget_cached_roles(user: Any) -> None:
    forget(user, "_organisation_roles", "_visibility_scope")


def organisation_create(*, by: User, **fields: Any) -> Organisation:
    """Found an organisation (not a municipality or region) and make its founder an admin."""
    if fields.get("kind") not in SELF_SERVICE_KINDS:
        raise ValidationError(
            {
                "kind": _(
                    "Municipalities and regions are already on the platform; choose another type."
                )
            }
        )
    with transaction.atomic():
        organisation = Organisation(slug=unique_slug(fields["name"]), **fields)
        organisation.full_clean()
        organisation.save()
        Membership.objects.create(organisation=organisation, user=by, role=MembershipRole.ADMIN)
        audit_record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=by,
            subject=by,
            target=organisation,
            role=MembershipRole.ADMIN,
        )
    _forget_cached_roles(by)
    return organisation


def organisation_update(*, organisation: Organisation, by: User, **fields: Any) -> Organisation:
    """Change an organisation's details; the names of the changed fields are audited.

    A new name is searchable in its experiments once a worker has re-indexed them
    (``reindex_owned_by``); the request only queues that.
    """
    # Compare with the stored row: a ModelForm has already copied the new values onto the object.
    stored = Organisation.objects.get(pk=organisation.pk)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(organisation, name, fields[name])
    organisation.full_clean()
    if changed:
        with transaction.atomic():
            organisation.save(update_fields=changed)
            audit_record(
                action=AuditAction.ORGANISATION_CHANGED,
                actor=by,
                target=organisation,
                fields=changed,
            )
            if SEARCHED_FIELDS.intersection(changed):
                enqueue_on_commit(reindex_owned_by, organisation_id=organisation.pk)
    return organisation


def membership_set(*, organisation: Organisation, user: User, role: str, by: User) -> Membership:
    """Add a person to an organisation or change their role; the change is audited.

    Only for demo data and tests: pages and the API never add anyone directly, they send an
    invitation the person must accept (``invitation_send``, issue 8).
    """
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose member or administrator.")})
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            organisation=organisation, user=user, defaults={"role": role}
        )
        if not created and membership.role != role:
            if membership.role == MembershipRole.ADMIN:
                _ensure_another_admin(organisation, user)
            membership.role = role
            membership.save(update_fields=["role"])
        elif not created:
            return membership
        audit_record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=by,
            subject=user,
            target=organisation,
            role=role,
        )
    _forget_cached_roles(user)
    return membership


def membership_remove(*, organisation: Organisation, user: User, by: User) -> None:
    """Remove a person from an organisation; the last admin cannot leave it without one."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(organisation=organisation, user=user)
            .first()
        )
        if membership is None:
            return
        if membership.role == MembershipRole.ADMIN:
            _ensure_another_admin(organisation, user)
        membership.delete()
        audit_record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=by,
            subject=user,
            target=organisation,
            role=None,
        )
    _forget_cached_roles(user)


def organisations_left_without_admin(user: User) -> list[Organisation]:
    """Organisations (other than municipalities and regions) whose only admin is ``user``."""
    return [
        membership.organisation
        for membership in Membership.objects.filter(user=user, role=MembershipRole.ADMIN)
        .select_related("organisation")
        .filter(organisation__municipality__isnull=True, organisation__region__isnull=True)
        if not membership.organisation.memberships.filter(role=MembershipRole.ADMIN)
        .exclude(user=user)
        .exists()
    ]


def _ensure_another_admin(organisation: Organisation, user: User) -> None:
    others = organisation.memberships.filter(role=MembershipRole.ADMIN).exclude(user=user)
    if not others.exists() and not organisation.municipality_id and not organisation.region_id:
        raise ValidationError(
            _("An organisation needs at least one administrator; name another one first."),
            code="last_admin",
        )


def membership_demote(*, organisation: Organisation, user: User, by: User) -> Membership:
    """Make an administrator a member again; the last admin cannot be demoted."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(
            organisation=organisation, user=user
        )
        if membership.role == MembershipRole.MEMBER:
            return membership
        _ensure_another_admin(organisation, user)
        membership.role = MembershipRole.MEMBER
        membership.save(update_fields=["role"])
        audit_record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=by,
            subject=user,
            target=organisation,
            role=MembershipRole.MEMBER,
        )
    _forget_cached_roles(user)
    return membership


def _account_with_address(email: str) -> User | None:
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def invitation_send(
    *, organisation: Organisation, email: str, role: str, by: User, language: str
) -> Invitation | None:
    """Invite an address to join ``organisation`` with ``role`` and e-mail it a link.

    The caller answers the same whether or not the address has an account. Nothing is sent
    when its owner already holds the role (or more); an open invitation to the same address is
    renewed, with a new link. The mail is in the invitee's language if they have an account,
    otherwise in ``language`` (the inviter's).
    """
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose member or administrator.")})
    email = email.strip().lower()
    invitee = _account_with_address(email)
    if invitee is not None:
        current = Membership.objects.filter(organisation=organisation, user=invitee).first()
        if current is not None and (current.role == role or current.role == MembershipRole.ADMIN):
            return None
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    fields = {
        "role": role,
        "invited_by": by,
        "token_digest": hash_token(raw),
        "created_at": now,
        "expires_at": now + timedelta(days=INVITATION_VALID_DAYS),
    }
    unanswered = Invitation.objects.select_for_update().filter(
        organisation=organisation, email=email, accepted_at__isnull=True, declined_at__isnull=True
    )
    with transaction.atomic():
        invitation = unanswered.first()
        if invitation is None:
            try:
                with transaction.atomic():  # a savepoint: another request may invite at once
                    invitation = Invitation.objects.create(
                        organisation=organisation, email=email, **fields
                    )
            except IntegrityError:
                invitation = unanswered.get()
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.save(update_fields=list(fields))
        audit_record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=by,
            subject=invitee,
            target=organisation,
            invited=role,
            invitation=invitation.pk,
        )
        language = invitee.language if invitee is not None and invitee.language else language
        message = _invitation_message(invitation, raw, by=by, language=language)
        enqueue_messages([message])
    return invitation


def _invitation_message(
    invitation: Invitation, raw: str, *, by: User, language: str
) -> EmailMessage:
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("organisations:invitation_detail", kwargs={"token": raw})
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation.display_name,
            "inviter": by.public_name,
            "is_admin": invitation.role == MembershipRole.ADMIN,
            "url": absolute_url(path),
            "days": INVITATION_VALID_DAYS,
        }
        folder = "organisations/email"
        subject = render_to_string(f"{folder}/invitation_subject.txt", context).strip()
        body = render_to_string(f"{folder}/invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[invitation.email])


def _open_invitation_for(invitation: Invitation, user: User) -> Invitation:
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None or not locked.is_open or locked.email.lower() not in verified_addresses(user):
        raise ValidationError(
            _("This invitation is no longer open; ask the organisation for a new one."),
            code="closed",
        )
    return locked


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Accept an open invitation to one of the person's verified addresses: they become a
    member, or an administrator if invited as one (an admin is never made a member)."""
    organisation = invitation.organisation
    with transaction.atomic():
        invitation = _open_invitation_for(invitation, user)
        membership, created = Membership.objects.select_for_update().get_or_create(
            organisation=organisation, user=user, defaults={"role": invitation.role}
        )
        if not created and invitation.role == MembershipRole.ADMIN:
            membership.role = MembershipRole.ADMIN
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=user,
            subject=user,
            target=organisation,
            role=membership.role,
            invitation=invitation.pk,
        )
    _forget_cached_roles(user)
    return membership


def invitation_decline(*, invitation: Invitation, user: User) -> None:
    """Decline an open invitation to one of the person's verified addresses; nothing else
    changes."""
    with transaction.atomic():
        invitation = _open_invitation_for(invitation, user)
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])


def invitation_withdraw(*, invitation: Invitation, by: User) -> None:
    """Withdraw an invitation that has not been answered; its link stops working."""
    with transaction.atomic():
        Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, declined_at__isnull=True
        ).delete()
        audit_record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=by,
            target=invitation.organisation,
            withdrawn=invitation.pk,
        )


def invitations_purge() -> int:
    """Delete expired invitations, answered or not (their address is personal data)."""
    deleted, _details = Invitation.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


# --- Requests to join ------------------------------------------------------------------------


def join_request_create(
    *, organisation: Organisation, user: User, message: str = ""
) -> JoinRequest:
    """Ask to join ``organisation``; its administrators are told by e-mail, each in their
    language. One waiting request per person and organisation, also when sent twice at once."""
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("You are already a member of %(name)s.") % {"name": organisation.display_name}
        )
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                organisation=organisation, user=user, message=message.strip()
            )
            admins = User.objects.filter(
                memberships__organisation=organisation,
                memberships__role=MembershipRole.ADMIN,
                is_active=True,
            )
            enqueue_messages([_join_request_message(request, admin) for admin in admins])
    except IntegrityError:
        raise ValidationError(
            _("Your request to join %(name)s is already waiting for approval.")
            % {"name": organisation.display_name}
        ) from None
    return request


def join_request_decide(*, join_request: JoinRequest, by: User, approve: bool) -> JoinRequest:
    """Approve (the person becomes a member) or decline a waiting request; the person is told
    by e-mail in their language."""
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if locked.status != JoinRequestStatus.PENDING:
            raise ValidationError(_("This request has already been answered."))
        if approve:
            membership_set(
                organisation=locked.organisation,
                user=locked.user,
                role=MembershipRole.MEMBER,
                by=by,
            )
        locked.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        enqueue_messages([_join_decided_message(locked)])
    return locked


def _join_request_message(request: JoinRequest, admin: User) -> EmailMessage:
    with translation.override(admin.language or settings.LANGUAGE_CODE):
        path = reverse(
            "organisations:organisation_members", kwargs={"slug": request.organisation.slug}
        )
        context = {
            "organisation": request.organisation.display_name,
            "person": request.user.public_name,
            "message": request.message,
            "url": absolute_url(path),
        }
        subject = render_to_string("organisations/email/join_request_subject.txt", context).strip()
        body = render_to_string("organisations/email/join_request.txt", context)
    return EmailMessage(subject=subject, body=body, to=[admin.email])


def _join_decided_message(request: JoinRequest) -> EmailMessage:
    person = request.user
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "organisation": request.organisation.display_name,
            "approved": request.status == JoinRequestStatus.APPROVED,
            "url": absolute_url(request.organisation.get_absolute_url()),
        }
        subject = render_to_string("organisations/email/join_decided_subject.txt", context).strip()
        body = render_to_string("organisations/email/join_decided.txt", context)
    return EmailMessage(subject=subject, body=body, to=[person.email])
