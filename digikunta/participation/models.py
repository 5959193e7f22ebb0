"""Resident participation (issue 11): processes with phases, who may take part, and ideas with
the municipality's official answer and the residents' support.

A process is opened by a municipality or a region organisation for an area of one or more
municipalities. Its phases (ideas, co-creation, voting, implementation) say what is possible
when (lifecycle.py). Who may take part is set per process by basis (residents, summer
residents, people who work or study there, anyone signed in); a person stands in a process by a
declaration, behind one interface that a verified identity can serve later (eligibility.py).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digikunta.core.languages import in_language
from digikunta.core.markdown import check_body_length
from digikunta.experiments.models import Experiment, Theme
from digikunta.moderation.models import Moderated, ModeratedQuerySet
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation


class Basis(models.TextChoices):
    """On what ground a person takes part in a process."""

    RESIDENT = "resident", _("resident")
    SUMMER_RESIDENT = "summer_resident", _("summer resident")
    WORKS_OR_STUDIES = "works_or_studies", _("works or studies there")
    SIGNED_IN = "signed_in", _("anyone signed in")


class PhaseKind(models.TextChoices):
    IDEAS = "ideas", _("ideas")
    CO_CREATION = "co_creation", _("co-creation")
    VOTING = "voting", _("voting")
    IMPLEMENTATION = "implementation", _("implementation")


class ProcessQuerySet(models.QuerySet["Process"]):
    def published(self) -> "ProcessQuerySet":
        return self.filter(published_at__isnull=False)


class Process(models.Model):
    """A participation process (osallistumisprosessi): "Mitä tekisit 10 000 eurolla?"."""

    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("organiser"),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="processes",
        verbose_name=_("municipalities"),
        help_text=_("The area of the process: whose residents take part."),
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    description = models.TextField(
        _("description in Finnish"), validators=[check_body_length], help_text=_("Markdown.")
    )
    description_sv = models.TextField(
        _("description in Swedish"), blank=True, validators=[check_body_length]
    )
    # Rendered and sanitised by the services (core.markdown.render_markdown), never on a view.
    description_html = models.TextField(blank=True, editable=False)
    description_sv_html = models.TextField(blank=True, editable=False)
    eligible_bases = models.JSONField(
        _("who may take part"),
        default=list,
        help_text=_("Residents, summer residents, people who work or study there, or anyone."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Kept by the services with the ideas and answers, so that a page of 20,000 ideas says how
    # many wait for an answer without counting them (services.idea_create, answer_set).
    idea_count = models.PositiveIntegerField(default=0, editable=False)
    answered_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcessQuerySet.as_manager()

    personal_owner = ("created_by",)
    personal_fields = ("title", "created_at")

    class Meta:
        verbose_name = _("participation process")
        verbose_name_plural = _("participation processes")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:process_detail", args=[self.slug])

    @property
    def localized_title(self) -> str:
        return in_language(self.title, self.title_sv)

    @property
    def localized_description_html(self) -> SafeString:
        """The stored rendering in the reader's language."""
        # Trusted only because both columns are written by the services from
        # core.markdown.render_markdown, which sanitises with nh3, and by nothing else.
        return mark_safe(in_language(self.description_html, self.description_sv_html))  # noqa: S308

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @cached_property
    def phase_list(self) -> list["Phase"]:
        """The phases in order, read once per instance (a request reads them several times)."""
        return list(self.phases.all())

    @cached_property
    def area(self) -> list[Municipality]:
        """The municipalities of the area by Finnish name, read once per instance."""
        return list(self.municipalities.order_by("name_fi"))


class Phase(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="phases", verbose_name=_("process")
    )
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    description = models.TextField(_("what happens, in Finnish"), blank=True, max_length=2000)
    description_sv = models.TextField(_("what happens, in Swedish"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint("process", "kind", name="one_phase_of_each_kind"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"

    def is_current(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on

    @property
    def localized_description(self) -> str:
        return in_language(self.description, self.description_sv)


class ResidentProfile(models.Model):
    """Where a person lives and where they spend their summers: what the declaration form
    offers first. Kept as the person wrote it; a process checks its own declarations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident_profile"
    )
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home municipality"),
    )
    summer_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="+",
        verbose_name=_("summer resident in"),
        help_text=_("Municipalities where you have a holiday home (vapaa-ajan asunto)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    personal_fields = ("home_municipality", "summer_municipalities", "updated_at")

    class Meta:
        verbose_name = _("resident profile")
        verbose_name_plural = _("resident profiles")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.home_municipality_id or '-'}"


class DeclarationSource(models.TextChoices):
    DECLARED = "declared", _("own declaration")
    VERIFIED = "verified", _("verified identity")


class Declaration(models.Model):
    """A person's statement of how they stand in a process: "I live in Kuopio". One per person
    and process; the statement shown is stored as they agreed to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declarations"
    )
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="declarations")
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    statement = models.TextField(_("statement"))
    source = models.CharField(
        max_length=20, choices=DeclarationSource.choices, default=DeclarationSource.DECLARED
    )
    declared_at = models.DateTimeField(default=timezone.now)

    personal_fields = ("process", "basis", "municipality", "statement", "source", "declared_at")

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint("user", "process", name="one_declaration_per_process"),
            models.CheckConstraint(
                condition=Q(basis=Basis.SIGNED_IN) | Q(municipality__isnull=False),
                name="declaration_names_a_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.basis} {self.municipality_id or ''}"


def idea_upload_to(instance: models.Model, filename: str) -> str:
    return f"ideas/{getattr(instance, 'idea_id', 'new')}/{filename}"


class Idea(Moderated):
    """A resident's idea in a process, answered officially by the municipality. Moderated
    content (moderation.py): hidden, it leaves every list, search and the API."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("process")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("description"),
        validators=[check_body_length],
        help_text=_("Markdown: **bold**, *italics*, lists and links work; HTML is left out."),
    )
    # Filled by the services from core.markdown.render_markdown (nh3) on every write.
    body_html = models.TextField(blank=True, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="fi"
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("theme"),
    )
    address = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("A street address or a place name, if the idea concerns one place."),
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    experiment = models.ForeignKey(
        Experiment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("experiment that takes it forward"),
    )
    # Kept exact by the services: a support row and this count change in one transaction.
    support_count = models.PositiveIntegerField(default=0, editable=False)
    # When the official answer was first given (services.answer_set): the oldest idea still
    # waiting is read from a partial index, not by joining the answers.
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = ModeratedQuerySet["Idea"].as_manager()

    personal_owner = ("author",)
    personal_fields = ("title", "body", "address", "created_at", "hidden_reason")

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["process", "-created_at", "-id"], name="idea_process_newest"),
            models.Index(
                fields=["process", "-support_count", "-created_at", "-id"],
                name="idea_process_most_supported",
            ),
            models.Index(
                fields=["process", "created_at"],
                name="idea_process_waiting",
                condition=Q(answered_at__isnull=True, hidden_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="idea_position_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:idea_detail", args=[self.pk])

    @property
    def html(self) -> SafeString:
        """The stored rendering of ``body``, for pages."""
        # Trusted only because body_html is written by the services from
        # core.markdown.render_markdown, which sanitises with nh3, and by nothing else.
        return mark_safe(self.body_html)  # noqa: S308


class IdeaImage(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=idea_upload_to, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=idea_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class Support(models.Model):
    """One person's support of one idea (kannatus): at most one, withdrawable."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    personal_fields = ("idea", "created_at")

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint("idea", "user", name="support_an_idea_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"

    @classmethod
    def before_erase(cls, user: models.Model) -> None:
        """An erased person's supports go with them (CASCADE): the counts go down first, so
        they stay equal to the rows (core/privacy.py)."""
        Idea.objects.filter(supports__user=user).update(support_count=models.F("support_count") - 1)


class AnswerStatus(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("idea answer", "accepted")
    IN_PROGRESS = "in_progress", pgettext_lazy("idea answer", "in progress")
    NOT_TAKEN_FORWARD = "not_taken_forward", pgettext_lazy("idea answer", "not taken forward")


class Answer(models.Model):
    """The municipality's official answer to an idea, given by a named office."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="answer")
    status = models.CharField(
        pgettext_lazy("idea answer", "answer"), max_length=20, choices=AnswerStatus.choices
    )
    reasoning = models.TextField(
        _("reasoning"), validators=[check_body_length], help_text=_("Markdown.")
    )
    reasoning_html = models.TextField(blank=True, editable=False)
    office = models.CharField(
        _("answering office"),
        max_length=200,
        help_text=_("The office or body that answers, e.g. the technical board."),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    personal_owner = ("answered_by",)
    personal_fields = ("status", "office", "answered_at")

    class Meta:
        verbose_name = _("official answer")
        verbose_name_plural = _("official answers")

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.office}"

    @property
    def html(self) -> SafeString:
        """The stored rendering of ``reasoning``, for pages."""
        # Trusted only because reasoning_html is written by services.answer_set from
        # core.markdown.render_markdown, which sanitises with nh3, and by nothing else.
        return mark_safe(self.reasoning_html)  # noqa: S308


class IdeaFollow(models.Model):
    """A person follows an idea: told of its answer, its experiment and new comments."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    personal_fields = ("idea", "created_at")

    class Meta:
        constraints = [models.UniqueConstraint("idea", "user", name="follow_an_idea_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"
