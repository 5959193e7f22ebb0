"""The experiment accelerator (kokeilukiihdyttämö): funding calls, light applications, reviews,
decisions in days, instalments and the reporting duty that feeds the case bank.

A call is organised by an organisation and run by programme coordinators. An eligible
organisation applies with one of its experiments; reviewers score it against the call's
weighted criteria; a coordinator decides. Decisions and granted amounts are public, reviewer
identities and scores are not.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digikunta.core.languages import in_language
from digikunta.experiments.models import Experiment, Outcome, Theme
from digikunta.funding import lifecycle
from digikunta.municipalities.models import Region
from digikunta.organisations.models import Organisation, OrganisationKind


class Money(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: Money = {"max_digits": 12, "decimal_places": 2}


class CallQuerySet(models.QuerySet["Call"]):
    def published(self) -> "CallQuerySet":
        return self.filter(published=True)

    def open_at(self, moment: datetime) -> "CallQuerySet":
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Call(models.Model):
    """A funding call (rahoitushaku)."""

    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="calls", verbose_name=_("organiser")
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    description = models.TextField(_("description in Finnish"))
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="calls", verbose_name=_("themes")
    )
    total_budget = models.DecimalField(
        _("total budget (€)"), validators=[MinValueValidator(Decimal("1"))], **MONEY
    )
    max_per_application = models.DecimalField(
        _("maximum per application (€)"), validators=[MinValueValidator(Decimal("1"))], **MONEY
    )
    own_contribution_percent = models.PositiveSmallIntegerField(
        _("own contribution (% of total costs, at least)"),
        default=0,
        validators=[MaxValueValidator(99)],
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    eligible_kinds = models.JSONField(
        _("eligible organisation types"),
        default=list,
        blank=True,
        help_text=_("Empty: every type may apply."),
    )
    eligible_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="calls",
        verbose_name=_("eligible regions"),
        help_text=_("Empty: the whole country."),
    )
    decision_days = models.PositiveSmallIntegerField(
        _("decision promised within (days)"), default=14, validators=[MinValueValidator(1)]
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("final report due (days after the experiment ends)"), default=30
    )
    fast_track = models.BooleanField(
        _("fast track"),
        default=False,
        help_text=_("A one-page application, one reviewer and the coordinator's decision."),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2, validators=[MinValueValidator(1)]
    )
    legal_basis = models.TextField(
        _("legal basis in Finnish"),
        blank=True,
        help_text=_("The laws and rules the decisions rest on; printed on every decision."),
    )
    legal_basis_sv = models.TextField(_("legal basis in Swedish"), blank=True)
    appeal_instructions = models.TextField(
        _("appeal instructions in Finnish"),
        blank=True,
        help_text=_(
            "How to request a review of a decision (oikaisuvaatimusohje): to whom, by when "
            "and how. Printed on every decision."
        ),
    )
    appeal_instructions_sv = models.TextField(_("appeal instructions in Swedish"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    personal_owner = ("created_by",)
    personal_fields = ("title", "created_at")

    class Meta:
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_per_application__lte=models.F("total_budget")),
                name="call_maximum_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("funding:call_detail", args=[self.slug])

    @property
    def display_title(self) -> str:
        return in_language(self.title, self.title_sv)

    @property
    def display_description(self) -> str:
        return in_language(self.description, self.description_sv)

    def legal_basis_in(self, language: str) -> str:
        return (
            self.legal_basis_sv
            if language.startswith("sv") and self.legal_basis_sv
            else (self.legal_basis)
        )

    def appeal_instructions_in(self, language: str) -> str:
        if language.startswith("sv") and self.appeal_instructions_sv:
            return self.appeal_instructions_sv
        return self.appeal_instructions

    @property
    def eligible_kind_labels(self) -> list[str]:
        return [str(OrganisationKind(kind).label) for kind in self.eligible_kinds]

    def state_at(self, moment: datetime | None = None) -> str:
        """ "draft" until published, then "upcoming", "open" or "closed"."""
        if not self.published:
            return "draft"
        moment = moment or timezone.now()
        if moment < self.opens_at:
            return "upcoming"
        return "open" if moment < self.closes_at else "closed"

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def is_open(self) -> bool:
        return self.state == "open"


class Criterion(models.Model):
    """An assessment criterion with its weight; reviewers score each from 0 to 5."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("criterion in Finnish"), max_length=200)
    name_sv = models.CharField(_("criterion in Swedish"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_sv)


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    NUMBER = "number", _("number")
    CHOICE = "choice", _("choice")
    FILE = "file", _("file")


class Question(models.Model):
    """One question of the call's application form (the small form builder)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    label = models.CharField(_("question in Finnish"), max_length=300)
    label_sv = models.CharField(_("question in Swedish"), max_length=300, blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For a choice: one option per line.")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return in_language(self.label, self.label_sv)


class ApplicationStatus(models.TextChoices):
    """The states of funding/lifecycle.py, where the moves between them are."""

    DRAFT = lifecycle.DRAFT, lifecycle.LABELS[lifecycle.DRAFT]
    SUBMITTED = lifecycle.SUBMITTED, lifecycle.LABELS[lifecycle.SUBMITTED]
    IN_REVIEW = lifecycle.IN_REVIEW, lifecycle.LABELS[lifecycle.IN_REVIEW]
    APPROVED = lifecycle.APPROVED, lifecycle.LABELS[lifecycle.APPROVED]
    REJECTED = lifecycle.REJECTED, lifecycle.LABELS[lifecycle.REJECTED]
    RETURNED = lifecycle.RETURNED, lifecycle.LABELS[lifecycle.RETURNED]
    WITHDRAWN = lifecycle.WITHDRAWN, lifecycle.LABELS[lifecycle.WITHDRAWN]


class Application(models.Model):
    """An organisation's application to a call with one of its experiments."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    experiment = models.ForeignKey(
        Experiment,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("experiment"),
    )
    applicant = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    summary = models.TextField(_("what the money is for"), blank=True)
    own_contribution = models.DecimalField(
        _("own contribution (€)"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    language = models.CharField(
        _("language of the application"),
        max_length=2,
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
        default="fi",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Bumped on every save of the draft: a save from a stale form is refused, not merged.
    version = models.PositiveIntegerField(default=1)

    personal_owner = ("created_by",)
    personal_fields = ("call", "experiment", "status", "created_at", "submitted_at")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint("call", "experiment", name="one_application_per_experiment")
        ]

    def __str__(self) -> str:
        return f"{self.experiment.title} ({self.call})"

    def get_absolute_url(self) -> str:
        return reverse("funding:application_detail", args=[self.pk])

    @property
    def total_cost(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines.all()), Decimal("0"))

    @property
    def requested_amount(self) -> Decimal:
        return max(self.total_cost - self.own_contribution, Decimal("0"))

    @property
    def decision_due_on(self) -> date | None:
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) + timedelta(days=self.call.decision_days)


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("cost item"), max_length=200)
    amount = models.DecimalField(
        _("amount (€)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount} €"


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    number = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    file = models.FileField(upload_to="applications/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint("application", "question", name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"

    @property
    def value(self) -> str:
        if self.question.kind == QuestionKind.NUMBER:
            return "" if self.number is None else str(self.number)
        if self.question.kind == QuestionKind.FILE:
            return self.file_name
        return self.text

    @property
    def is_empty(self) -> bool:
        return not self.value.strip()


class ReviewAssignment(models.Model):
    """A reviewer's task on one application: conflict declaration, scores, submission."""

    # PROTECT: a submitted review is part of the decision's basis (issue 8): deleting an
    # application that reviewers were given is refused, never cascaded to their scores.
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments"
    )
    # SET_NULL: the scores outlive an erased reviewer, without their identity.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    conflict_reason = models.CharField(_("reason"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    general_comment = models.TextField(_("overall comment"), blank=True)

    personal_owner = ("reviewer", "assigned_by")
    personal_fields = (
        "application",
        "assigned_at",
        "conflict_of_interest",
        "conflict_reason",
        "submitted_at",
        "general_comment",
    )

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint("application", "reviewer", name="one_review_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"review of {self.application_id} by {self.reviewer_id}"

    def get_absolute_url(self) -> str:
        return reverse("funding:review", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return not self.conflict_of_interest


class Score(models.Model):
    """One reviewer's score of one criterion. A row per reviewer and criterion: two reviewers
    saving at once write different rows and never overwrite each other."""

    # PROTECT both ways: no delete of an assignment or of a criterion drops scores; only
    # services.conflict_declare removes the unsubmitted scores of a conflicted reviewer.
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.PROTECT, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint("assignment", "criterion", name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__lte=5), name="score_at_most_five"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Decision(models.Model):
    """The coordinator's decision, with its reasoning; approvals and rejections are public
    (never the reviews). An application returned for changes and resubmitted gets another."""

    # PROTECT: a decision is the public record; deleting its application is refused.
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    record_number = models.CharField(_("record number"), max_length=30, unique=True)
    language = models.CharField(_("language"), max_length=2, default="fi")
    outcome = models.CharField(
        _("decision"),
        max_length=10,
        choices=[(outcome, lifecycle.LABELS[outcome]) for outcome in lifecycle.OUTCOMES],
    )
    granted_amount = models.DecimalField(
        _("granted amount (€)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    conditions = models.TextField(_("conditions"), blank=True)
    reasoning = models.TextField(_("reasoning"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The official who decides, as printed on the decision: a public record, kept as written
    # when the account is erased (docs/privacy.md).
    decision_maker_name = models.CharField(_("decision-maker"), max_length=200)
    decision_maker_title = models.CharField(_("decision-maker's title"), max_length=200)
    # The call's texts at the time of the decision, in the decision's language.
    legal_basis = models.TextField(_("legal basis"), blank=True)
    appeal_instructions = models.TextField(_("appeal instructions"), blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    # The decision as sent (PDF), made by the worker after the decision commits.
    document = models.FileField(_("decision document"), upload_to="decisions/%Y/", blank=True)

    personal_owner = ("decided_by",)
    personal_fields = (
        "record_number",
        "application",
        "outcome",
        "decision_maker_name",
        "decided_at",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.record_number} {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return reverse("funding:decision_detail", args=[self.pk])

    @property
    def document_name(self) -> str:
        return f"{self.record_number.replace('/', '-')}.pdf"


class InstalmentTrigger(models.TextChoices):
    APPROVAL = "approval", _("on approval")
    INTERIM_REPORT = "interim_report", _("on the interim report")
    FINAL_REPORT = "final_report", _("on the final report")


class Instalment(models.Model):
    """A part of the grant. It becomes payable when its condition is met (``payable_at``) and
    is paid when a coordinator records payments that add up to its amount."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="instalments"
    )
    position = models.PositiveSmallIntegerField(default=0)
    amount = models.DecimalField(
        _("amount (€)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    trigger = models.CharField(_("payable"), max_length=16, choices=InstalmentTrigger.choices)
    payable_at = models.DateTimeField(_("payable since"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} € {self.get_trigger_display()}"

    @property
    def paid_amount(self) -> Decimal:
        """The payments recorded (prefetch ``payments`` when listing)."""
        return sum((p.amount for p in self.payments.all()), Decimal("0"))

    @property
    def state(self) -> str:
        """ "waiting" for its condition, "payable", "partly_paid" or "paid"."""
        paid = self.paid_amount
        if paid >= self.amount:
            return "paid"
        if paid:
            return "partly_paid"
        return "payable" if self.payable_at else "waiting"


class Payment(models.Model):
    """A payment of an instalment as the coordinator recorded it from the books: nothing is
    marked paid by the platform itself."""

    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("payment date"))
    amount = models.DecimalField(
        _("amount (€)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    reference = models.CharField(
        _("payment reference"),
        max_length=100,
        help_text=_("The voucher or transaction number in the bookkeeping."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    personal_owner = ("recorded_by",)
    personal_fields = ("instalment", "amount", "paid_on", "recorded_at")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} € {self.paid_on} ({self.reference})"


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("interim report")
    FINAL = "final", _("final report")


class Report(models.Model):
    """What a funded experiment reports: results, spending and lessons; the final report
    updates the experiment and puts it in the case bank."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("report"), max_length=8, choices=ReportKind.choices)
    results = models.TextField(_("results"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    spent = models.DecimalField(
        _("money spent (€)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    personal_owner = ("submitted_by",)
    personal_fields = ("application", "kind", "submitted_at")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint("application", "kind", name="one_report_of_each_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.application_id}"


class ReportReminder(models.Model):
    """A reminder sent about a due report, so that each is sent once."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="report_reminders"
    )
    kind = models.CharField(max_length=10)  # "before" or "overdue"
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("application", "kind", name="one_reminder_of_each_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.application_id}"
