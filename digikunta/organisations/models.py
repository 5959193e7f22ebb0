"""Organisations (municipalities, regions, parishes, companies, …) and their members."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digikunta.municipalities.models import Municipality, Region


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    REGION = "region", _("region")
    PARISH = "parish", _("parish")
    COMPANY = "company", _("company")
    ASSOCIATION = "association", _("association")
    UNIVERSITY = "university", _("university")
    STATE_AGENCY = "state_agency", _("state agency")
    OTHER = "other", _("other")


# Municipality and region organisations come from reference data; people found the others.
SELF_SERVICE_KINDS = [
    kind
    for kind in OrganisationKind
    if kind not in {OrganisationKind.MUNICIPALITY, OrganisationKind.REGION}
]


class Organisation(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("municipality"),
    )
    region = models.OneToOneField(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("region"),
    )
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="based_organisations",
        verbose_name=_("home municipality"),
        help_text=_("Where the organisation is based."),
    )
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        help_text=_("Finnish Business ID, e.g. 1234567-8."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_language = models.CharField(
        _("language of the description"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="municipality") | models.Q(municipality__isnull=False),
                name="municipality_organisation_has_municipality",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="region") | models.Q(region__isnull=False),
                name="region_organisation_has_region",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.municipality_id:
            return self.municipality.name
        if self.region_id:
            return self.region.name
        if (get_language() or "fi").startswith("sv") and self.name_sv:
            return self.name_sv
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    ADMIN = "admin", _("administrator")


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    personal_fields = ("organisation", "role", "joined_at")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint("organisation", "user", name="one_membership_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organisation_id}: {self.role}"


INVITATION_VALID_DAYS = 14


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> "InvitationQuerySet":
        """Neither accepted nor declined, and not expired."""
        return self.filter(
            accepted_at__isnull=True, declined_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An offer to join an organisation, or to become its administrator, that the person must
    accept (issue 8): no one is made a member or an administrator without choosing it.

    The link in the e-mail carries a random token; only its SHA-256 is stored. Accepting needs
    the invited address verified on the signed-in account.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    # The invitee is found by the address (they may have no account yet), never by the inviter:
    # an inviter's export does not hold other people's addresses (digikunta.core.privacy).
    personal_owner = ()
    personal_email = "email"
    personal_fields = (
        "organisation",
        "email",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "declined_at",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                "email",
                condition=models.Q(accepted_at__isnull=True, declined_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.role}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.declined_at is None
            and self.expires_at > timezone.now()
        )


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class JoinRequest(models.Model):
    """A person's request to join an organisation, which its administrators approve or
    decline (issue 10): with an invitation, the other way in, and neither makes anyone a
    member without both sides choosing it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("person"),
    )
    message = models.TextField(
        _("message to the administrators"),
        max_length=500,
        blank=True,
        help_text=_("Who you are and what you do there, in a sentence or two."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    # The requester's, in their export; erasing them deletes it. Who decided is not theirs.
    personal_owner = ("user",)
    personal_fields = ("organisation", "message", "status", "created_at", "decided_at")

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                "user",
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
