"""Participatory budgeting (issue 11, item 5): a process's areas with their budgets, the projects
people vote on, and one secret ballot per person.

A ballot's choices live only in its own row (``Ballot.choices``, a JSON array of project ids):
nothing else in the database, no export, log or API links a person to what they chose
(docs/decisions/0021-secret-ballot-in-one-row.md). The tally is one aggregate over that column
(selectors.votes_per_project).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from digikunta.core.languages import in_language
from digikunta.core.markdown import check_body_length
from digikunta.municipalities.models import Municipality
from digikunta.participation.models import Basis, Idea, Process

MAX_DIGITS, DECIMAL_PLACES = 12, 2


class BudgetArea(models.Model):
    """A part of the process with its own budget (koko kunta, or one district). A person votes
    in one area: the one for their municipality, or one open to the whole process."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="budget_areas", verbose_name=_("process")
    )
    name = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("What the projects chosen in this area may cost together."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="+",
        verbose_name=_("municipalities"),
        help_text=_(
            "Leave empty for an area open to the whole process; otherwise only people of these "
            "municipalities vote in it."
        ),
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget area")
        verbose_name_plural = _("budget areas")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint("process", "name", name="budget_area_name_once"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="budget_area_has_a_budget"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        return in_language(self.name, self.name_sv)


class Project(models.Model):
    """A proposal worked out from the ideas, with a cost the municipality has checked. Only
    projects whose cost is checked are on the ballot."""

    area = models.ForeignKey(
        BudgetArea, on_delete=models.CASCADE, related_name="projects", verbose_name=_("area")
    )
    idea = models.ForeignKey(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_projects",
        verbose_name=_("idea it comes from"),
    )
    title = models.CharField(_("title in Finnish"), max_length=150)
    title_sv = models.CharField(_("title in Swedish"), max_length=150, blank=True)
    description = models.TextField(
        _("description in Finnish"),
        validators=[check_body_length],
        help_text=_("Markdown: **bold**, *italics*, lists and links work; HTML is left out."),
    )
    description_sv = models.TextField(
        _("description in Swedish"), blank=True, validators=[check_body_length]
    )
    # Rendered and sanitised by the services (core.markdown.render_markdown), never on a view.
    description_html = models.TextField(blank=True, editable=False)
    description_sv_html = models.TextField(blank=True, editable=False)
    estimated_cost = models.DecimalField(
        _("estimated cost (€)"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("1"))],
    )
    cost_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cost checked by"),
    )
    cost_checked_at = models.DateTimeField(_("cost checked"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    personal_owner = ("cost_checked_by",)
    personal_fields = ("title", "cost_checked_at")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_cost__gt=0), name="project_has_a_cost"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cost_checked(self) -> bool:
        return self.cost_checked_at is not None

    @property
    def localized_title(self) -> str:
        return in_language(self.title, self.title_sv)

    @property
    def html(self) -> SafeString:
        """The stored rendering of the description in the reader's language."""
        # Trusted only because the *_html fields are written by services.project_save from
        # core.markdown.render_markdown, which sanitises with nh3, and by nothing else.
        return mark_safe(in_language(self.description_html, self.description_sv_html))  # noqa: S308


class Ballot(models.Model):
    """One person's ballot in a process: the only row that links them to their choices.

    Changing the ballot rewrites this row; erasing the person leaves it counted, anonymous
    (``voter`` set to null). ``basis`` and ``municipality`` are kept for turnout by eligibility
    kind and by area. The receipt code is stored only as its SHA-256 digest (receipts.py).
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ballots")
    area = models.ForeignKey(BudgetArea, on_delete=models.RESTRICT, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ballots",
    )
    # The chosen projects' ids, ascending. Never copied anywhere else (ADR 0021).
    choices = models.JSONField(default=list)
    receipt_digest = models.CharField(max_length=64, unique=True)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cast_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    # What a person's export says: that they voted in a process, and when. Never the choices.
    personal_owner = ("voter",)
    personal_fields = ("process", "cast_at", "changed_at")

    class Meta:
        constraints = [
            models.UniqueConstraint("process", "voter", name="one_ballot_per_person"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"
