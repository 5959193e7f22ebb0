"""Where personal data lives, and how it is exported and erased.

Each of our models that holds personal data declares ``personal_fields`` (what to export) and,
when the link to the person is not a field named ``user``, ``personal_owner`` (the field names
that point to the person). A model may also name in ``personal_email`` a field holding an e-mail
address (an invitation to someone who may have no account yet): its rows to one of the person's
verified addresses are theirs, exported and erased with them. Third-party models are declared
in ``THIRD_PARTY`` below. A test fails when a model points to the user model without a
declaration (docs/privacy.md).
"""

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

# Third-party models with personal data: model label -> (owner fields, exported fields).
THIRD_PARTY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "account.emailaddress": (("user",), ("email", "verified", "primary")),
    # Only the kind and dates of an authenticator; never its secret.
    "mfa.authenticator": (("user",), ("type", "created_at", "last_used_at")),
    "admin.logentry": (("user",), ("action_time", "object_repr", "change_message")),
}

# Models that point to a person but hold nothing personal of their own.
NOT_PERSONAL = {"account.emailconfirmation"}


def registry() -> list[tuple[type[models.Model], tuple[str, ...], tuple[str, ...]]]:
    """(model, owner fields, personal fields) for every model holding personal data."""
    entries = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in THIRD_PARTY:
            owners, fields = THIRD_PARTY[label]
            entries.append((model, owners, fields))
        elif hasattr(model, "personal_fields"):
            owners = getattr(model, "personal_owner", ("user",))
            entries.append((model, tuple(owners), tuple(model.personal_fields)))
    return entries


def verified_addresses(user: Any) -> list[str]:
    """The person's verified e-mail addresses, in lower case."""
    email_address = apps.get_model("account", "EmailAddress")
    rows = email_address._default_manager.filter(user=user, verified=True)
    return [email.lower() for email in rows.values_list("email", flat=True)]


def _owned_by(
    model: type[models.Model], owners: tuple[str, ...], user: Any
) -> models.QuerySet[models.Model]:
    if owners == ("pk",):
        return model._default_manager.filter(pk=user.pk)
    condition = Q()
    for owner in owners:
        condition |= Q(**{owner: user})
    email_field = getattr(model, "personal_email", None)
    if email_field:
        condition |= Q(**{f"{email_field}__in": verified_addresses(user)})
    if not condition:
        return model._default_manager.none()
    return model._default_manager.filter(condition)


def collect(user: Any) -> dict[str, Any]:
    """Every personal row of ``user``, keyed by model label."""
    result: dict[str, Any] = {}
    for model, owners, fields in registry():
        rows = list(_owned_by(model, owners, user).values("pk", *fields))
        if rows:
            result[model._meta.label_lower] = rows
    return result


def erase(user: Any) -> None:
    """Delete the person; rows that must outlive them lose the link (``on_delete=SET_NULL``).
    Rows found by the person's address (``personal_email``) are deleted first. A model that
    keeps a figure over the person's rows (a support count) declares a classmethod
    ``before_erase(user)``, called first, in the same transaction."""
    for model, owners, _fields in registry():
        if getattr(model, "personal_email", None):
            _owned_by(model, owners, user).delete()
        before_erase = getattr(model, "before_erase", None)
        if before_erase is not None:
            before_erase(user)
    user.delete()
