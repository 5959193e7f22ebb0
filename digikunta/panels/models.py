"""The citizens' panel drawn by lot (kuntaraati, issue 11, item 6).

A panel belongs to a participation process, and those who run the process run it. Residents
of the process's area volunteer with the few traits the panel is stratified by; once
registration closes the list of volunteers (public codes and traits, never names) is
published; the panel is drawn by stratified lot from a published seed (draw.py, pure and
re-runnable by anyone, ADR 0022); the drawn are invited by e-mail and a decline draws the next
on the reserve list of the same stratum (``Replacement``, the published history).
"""

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digikunta.core.languages import in_language
from digikunta.core.markdown import check_body_length
from digikunta.municipalities.models import Municipality
from digikunta.participation.models import Process


class PanelState(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("registration open")
    CLOSED = "closed", _("registration closed")
    DRAWN = "drawn", _("drawn")


class Trait(models.TextChoices):
    """What a panel may be stratified by, in the order of the published list's columns."""

    AGE_BAND = "age_band", _("age band")
    AREA = "area", _("municipality")
    LANGUAGE = "language", _("language")
    GENDER = "gender", _("gender")


TRAIT_ORDER = [Trait.AGE_BAND, Trait.AREA, Trait.LANGUAGE, Trait.GENDER]


class AgeBand(models.TextChoices):
    # Residents take part in municipal participation from 15 (the age of the youth council's
    # members and of the municipal initiative: Kuntalaki 22–23 §, 26 §). Four bands keep the
    # strata large enough in a small municipality.
    FROM_15 = "15-24", _("15–24 years")
    FROM_25 = "25-44", _("25–44 years")
    FROM_45 = "45-64", _("45–64 years")
    FROM_65 = "65+", _("65 years or more")


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    OTHER = "other", _("another language")


class Gender(models.TextChoices):
    WOMAN = "woman", pgettext_lazy("gender", "woman")
    MAN = "man", pgettext_lazy("gender", "man")
    OTHER = "other", pgettext_lazy("gender", "other")
    NOT_GIVEN = "not_given", pgettext_lazy("gender", "prefer not to say")


class CitizensPanelQuerySet(models.QuerySet["CitizensPanel"]):
    def public(self) -> "CitizensPanelQuerySet":
        return self.exclude(state=PanelState.DRAFT)


class CitizensPanel(models.Model):
    """A citizens' panel (kuntaraati) of a process: ``seats`` residents drawn by lot."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="panels", verbose_name=_("process")
    )
    title = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    description = models.TextField(
        _("description in Finnish"),
        validators=[check_body_length],
        help_text=_("What the panel does, how often it meets and what it decides. Markdown."),
    )
    description_sv = models.TextField(
        _("description in Swedish"), blank=True, validators=[check_body_length]
    )
    # Rendered and sanitised by the services (core.markdown.render_markdown), never on a view.
    description_html = models.TextField(blank=True, editable=False)
    description_sv_html = models.TextField(blank=True, editable=False)
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("How many members are drawn."),
    )
    stratify_by = models.JSONField(
        _("stratified by"),
        default=list,
        blank=True,
        help_text=_(
            "The traits by which the panel is made to resemble the volunteers. Volunteers are "
            "asked only these."
        ),
    )
    registration_closes_at = models.DateTimeField(_("registration closes"))
    answer_days = models.PositiveSmallIntegerField(
        _("days to answer"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How long a drawn member has to accept or decline the invitation."),
    )
    seed_plan = models.TextField(
        _("how the seed is chosen"),
        max_length=500,
        blank=True,
        help_text=_(
            "Announce it before registration closes, e.g. “the Lotto numbers of 14 June”. Left "
            "empty, the site makes a random seed at the moment of the draw."
        ),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PanelState.choices, default=PanelState.DRAFT
    )
    seed = models.CharField(_("seed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("registration closed"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CitizensPanelQuerySet.as_manager()

    personal_owner = ("created_by", "drawn_by")
    personal_fields = ("title", "created_at", "drawn_at")

    class Meta:
        verbose_name = _("citizens' panel")
        verbose_name_plural = _("citizens' panels")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="panel_has_seats"),
            models.CheckConstraint(
                condition=~Q(state=PanelState.DRAWN) | ~Q(seed=""), name="drawn_panel_has_seed"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("panels:panel_detail", args=[self.pk])

    @property
    def localized_title(self) -> str:
        return in_language(self.title, self.title_sv)

    @property
    def html(self) -> SafeString:
        """The stored rendering of the description in the reader's language."""
        # Trusted only because the services write these from core.markdown.render_markdown,
        # which sanitises with nh3, and nothing else does.
        return mark_safe(in_language(self.description_html, self.description_sv_html))  # noqa: S308

    def is_registration_open(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.state == PanelState.OPEN and moment < self.registration_closes_at

    def is_list_frozen(self, now: datetime | None = None) -> bool:
        """The list of volunteers no longer changes: registration has closed, by the clock or
        by the organiser. From then on it is public, before the seed of the draw is known."""
        if self.state in (PanelState.CLOSED, PanelState.DRAWN):
            return True
        moment = now or timezone.now()
        return self.state == PanelState.OPEN and moment >= self.registration_closes_at

    @property
    def is_drawn(self) -> bool:
        return self.state == PanelState.DRAWN

    @property
    def traits(self) -> list[Trait]:
        """The traits it is stratified by, in the published order."""
        return [trait for trait in TRAIT_ORDER if trait in self.stratify_by]


class VolunteerStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    RESERVE = "reserve", _("on the reserve list")
    DRAWN = "drawn", _("drawn, not yet invited")
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    NO_ANSWER = "no_answer", _("did not answer")
    UNREACHABLE = "unreachable", _("could not be reached")


# Those who hold a seat: drawn (at first or as a replacement) and not gone.
SEATED = {VolunteerStatus.DRAWN, VolunteerStatus.INVITED, VolunteerStatus.ACCEPTED}


class Volunteer(models.Model):
    """A resident who offers to sit on the panel, known to the public only by ``code``.

    The row outlives the person's account once the list is published (``user`` becomes null):
    the published list and draw must stay what they were (docs/privacy.md)."""

    panel = models.ForeignKey(CitizensPanel, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_volunteers",
    )
    code = models.CharField(_("code"), max_length=10)
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices, blank=True)
    area = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    consent_contact = models.BooleanField(_("may be contacted by e-mail"), default=False)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.REGISTERED,
    )
    # Place in its stratum's lot order after the draw (1 is first).
    position = models.PositiveIntegerField(_("place in the stratum"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    answer_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    personal_fields = (
        "panel",
        "code",
        "age_band",
        "area",
        "language",
        "gender",
        "consent_contact",
        "status",
        "registered_at",
        "invited_at",
        "answered_at",
    )

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint("panel", "user", name="volunteer_once_per_panel"),
            models.UniqueConstraint("panel", "code", name="volunteer_code_unique_in_panel"),
        ]

    def __str__(self) -> str:
        return self.code

    def trait_value(self, trait: str) -> str:
        """The value in the published list: the municipality by its code."""
        if trait == Trait.AREA:
            return self.area_id or ""
        return str(getattr(self, trait))

    @property
    def is_seated(self) -> bool:
        return self.status in SEATED


class LeaveReason(models.TextChoices):
    DECLINED = "declined", _("declined")
    NO_ANSWER = "no_answer", _("did not answer in time")
    UNREACHABLE = "unreachable", _("could not be reached")


class Replacement(models.Model):
    """One line of the published history: a member left their seat and someone was drawn for
    it (``drawn`` is null when no reserve was left). ``number`` gives the order, which the
    replacements depend on (draw.replay)."""

    panel = models.ForeignKey(CitizensPanel, on_delete=models.CASCADE, related_name="replacements")
    number = models.PositiveIntegerField()
    left = models.OneToOneField(Volunteer, on_delete=models.CASCADE, related_name="left_seat")
    reason = models.CharField(max_length=12, choices=LeaveReason.choices)
    drawn = models.OneToOneField(
        Volunteer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drawn_for",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("replacement")
        verbose_name_plural = _("replacements")
        ordering = ["panel", "number"]
        constraints = [
            models.UniqueConstraint("panel", "number", name="replacement_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} → {self.drawn_id or '-'}"
