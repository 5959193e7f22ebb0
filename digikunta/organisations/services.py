"""Writes about organisations and their members."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.audit.models import AuditAction
from digikunta.audit.services import audit_record
from digikunta.core.slugs import unique_slug as core_unique_slug
from digikunta.organisations.models import (
    SELF_SERVICE_KINDS,
    Membership,
    MembershipRole,
    Organisation,
)


def unique_slug(name: str) -> str:
    return core_unique_slug(Organisation, name, max_length=70, fallback="org")


def _forget_cached_roles(user: Any) -> None:
    user.__dict__.pop("_organisation_roles", None)


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
    """Change an organisation's details; the names of the changed fields are audited."""
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
    return organisation


def membership_set(*, organisation: Organisation, user: User, role: str, by: User) -> Membership:
    """Add a person to an organisation or change their role; the change is audited."""
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
