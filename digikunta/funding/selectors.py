"""Reads of the accelerator: eligibility, what blocks a submission, review totals, the funding
suggestion and the decision-time dashboard."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import mean, median
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import PlatformRole, User
from digikunta.experiments.models import Experiment
from digikunta.experiments.selectors import experiments_visible_to
from digikunta.funding import lifecycle
from digikunta.funding.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    Criterion,
    Decision,
    Instalment,
    QuestionKind,
    ReviewAssignment,
    Score,
)
from digikunta.organisations.models import Organisation, OrganisationKind


def organisation_region(organisation: Organisation) -> str | None:
    if organisation.region_id:
        return organisation.region_id
    municipality = organisation.municipality or organisation.home_municipality
    return municipality.region_id if municipality else None


def eligibility_problems(call: Call, organisation: Organisation) -> list[str]:
    """Why ``organisation`` may not apply to ``call``; empty when it may (lifecycle.py)."""
    return lifecycle.eligibility_problems(
        call,
        kind=organisation.kind,
        region=organisation_region(organisation),
        kind_labels=dict(OrganisationKind.choices),
        eligible_regions=call.eligible_regions.all(),
    )


def submission_problems(application: Application, now: datetime) -> list[str]:
    """Everything that stops the submission, each saying what to fix (lifecycle.py)."""
    lines = list(application.budget_lines.all())
    answers = {a.question_id: a for a in application.answers.all()}
    unanswered = [
        (question.display_label, question.kind == QuestionKind.FILE)
        for question in application.call.questions.all()
        if question.required and (answers.get(question.pk) is None or answers[question.pk].is_empty)
    ]
    return lifecycle.submission_problems(
        application.call,
        summary=application.summary,
        money=lifecycle.Money(
            total=sum((line.amount for line in lines), Decimal("0")),
            own=application.own_contribution,
        ),
        has_budget=bool(lines),
        unanswered=unanswered,
        now=now,
    )


def budget_left(call: Call) -> Decimal:
    granted = (
        Instalment.objects.filter(application__call=call)
        .exclude(application__status=lifecycle.WITHDRAWN)
        .aggregate(total=Sum("amount"))["total"]
    )
    return call.total_budget - (granted or Decimal("0"))


# --- Review totals ---------------------------------------------------------------------------


@dataclass
class ReviewTotals:
    """One application's reviews: each submitted reviewer's weighted score (0–5), their mean
    and the spread between the highest and lowest."""

    application: Application
    reviewer_totals: list[Decimal] = field(default_factory=list)
    pending: int = 0
    conflicts: int = 0

    @property
    def mean(self) -> Decimal | None:
        if not self.reviewer_totals:
            return None
        total = sum(self.reviewer_totals, Decimal(0))
        return (total / len(self.reviewer_totals)).quantize(Decimal("0.01"))

    @property
    def spread(self) -> Decimal | None:
        if not self.reviewer_totals:
            return None
        return max(self.reviewer_totals) - min(self.reviewer_totals)


def weighted_total(scores: list[Score], criteria: list[Criterion]) -> Decimal:
    """Σ(weight × score) / Σ weights: a weighted mean on the same 0–5 scale."""
    weights = {c.pk: c.weight for c in criteria}
    total_weight = sum(weights.values()) or 1
    value = sum(weights.get(s.criterion_id, 0) * s.value for s in scores)
    return (Decimal(value) / Decimal(total_weight)).quantize(Decimal("0.01"))


def call_review_totals(call: Call, *, only: Application | None = None) -> list[ReviewTotals]:
    """Every submitted application of the call (or ``only`` that one) with its review totals,
    best first."""
    criteria = list(call.criteria.all())
    applications = call.applications.filter(pk=only.pk) if only else call.applications.all()
    applications = (
        applications.exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .select_related("experiment", "applicant")
        .prefetch_related(
            "budget_lines",
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.prefetch_related("scores").select_related(
                    "reviewer"
                ),
            ),
        )
    )
    rows = []
    for application in applications:
        row = ReviewTotals(application)
        for assignment in application.assignments.all():
            if assignment.conflict_of_interest:
                row.conflicts += 1
            elif assignment.submitted_at:
                row.reviewer_totals.append(weighted_total(list(assignment.scores.all()), criteria))
            else:
                row.pending += 1
        rows.append(row)
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.application.submitted_at or 0))
    return rows


def funding_suggestion(call: Call, rows: list[ReviewTotals] | None = None) -> list[ReviewTotals]:
    """The rule, shown to the coordinator: take the undecided applications with at least one
    submitted review from the best mean score down; fund each in full if its requested sum
    fits what is left of the budget, otherwise skip it and go on to the next."""
    rows = call_review_totals(call) if rows is None else rows
    left = budget_left(call)
    chosen = []
    for row in rows:
        application = row.application
        if row.mean is None or application.status not in lifecycle.UNDER_REVIEW:
            continue
        if application.requested_amount <= left:
            chosen.append(row)
            left -= application.requested_amount
    return chosen


# --- Listings and the dashboard --------------------------------------------------------------


def calls_by_state(user: Any, now: datetime | None = None) -> dict[str, list[Call]]:
    from digikunta.core.permissions import can

    now = now or timezone.now()
    calls = Call.objects.select_related("organiser").prefetch_related("themes")
    if not can(user, "manage", Call):
        calls = calls.published()
    grouped: dict[str, list[Call]] = {"draft": [], "open": [], "upcoming": [], "closed": []}
    for call in calls:
        grouped[call.state_at(now)].append(call)
    grouped["open"].sort(key=lambda c: c.closes_at)
    grouped["upcoming"].sort(key=lambda c: c.opens_at)
    return grouped


def open_calls(*, now: datetime | None = None, limit: int = 3) -> list[Call]:
    """Published calls open for applications at ``now``, closing soonest first: what the
    front page shows to everyone (unpublished calls never)."""
    now = now or timezone.now()
    calls = Call.objects.published().open_at(now).order_by("closes_at", "pk")
    return list(calls.select_related("organiser__municipality", "organiser__region")[:limit])


@dataclass(frozen=True)
class DecidedRow:
    """One public decision as ``viewer`` may see it. The decision and the applicant are public;
    the experiment's title and page only when the viewer may see the experiment (issue 8)."""

    application: Application
    decision: Decision
    experiment_visible: bool

    @property
    def experiment_title(self) -> str:
        if self.experiment_visible:
            return self.application.experiment.title
        return _("Experiment not public")

    @property
    def experiment_url(self) -> str:
        return self.application.experiment.get_absolute_url() if self.experiment_visible else ""


def decided(call: Call, viewer: Any) -> list[DecidedRow]:
    """The public decisions of the call, for the page, its exports and the API: each approved
    or rejected application with its latest decision, newest first.

    A members-only experiment is named only to those who may see it (the experiments'
    ``experiments_visible_to`` rule), so the anonymous page, cached for everyone, never names it.
    """
    applications = list(public_decisions(call))
    visible = set(
        experiments_visible_to(viewer)
        .filter(pk__in={a.experiment_id for a in applications})
        .values_list("pk", flat=True)
    )
    return [
        DecidedRow(a, list(a.decisions.all())[-1], a.experiment_id in visible) for a in applications
    ]


def public_decisions(call: Call) -> QuerySet[Application]:
    """Approvals and rejections of the call: public. Never the reviewers or their scores."""
    return (
        call.applications.filter(status__in=lifecycle.PUBLIC)
        .select_related("experiment", "applicant__municipality", "applicant__region")
        .prefetch_related("decisions")
        .order_by("-decided_at", "pk")
    )


@dataclass
class DashboardRow:
    application: Application
    submitted_on: date
    due_on: date
    decided_on: date | None
    days: int  # submission to decision, or to today while undecided

    @property
    def late(self) -> bool:
        return (self.decided_on or timezone.localdate()) > self.due_on


@dataclass
class Dashboard:
    call: Call
    rows: list[DashboardRow]

    @property
    def decided(self) -> list[DashboardRow]:
        return [r for r in self.rows if r.decided_on]

    @property
    def mean_days(self) -> float | None:
        days = [r.days for r in self.decided]
        return round(mean(days), 1) if days else None

    @property
    def median_days(self) -> float | None:
        days = [r.days for r in self.decided]
        return median(days) if days else None

    @property
    def max_days(self) -> int | None:
        days = [r.days for r in self.decided]
        return max(days) if days else None

    @property
    def late(self) -> list[DashboardRow]:
        return [r for r in self.rows if r.late]

    @property
    def overdue_undecided(self) -> list[DashboardRow]:
        return [r for r in self.rows if r.late and not r.decided_on]


def decision_dashboard(call: Call, today: date | None = None) -> Dashboard:
    """Days from submission to decision per application, against the promised time."""
    today = today or timezone.localdate()
    applications = (
        call.applications.filter(submitted_at__isnull=False)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("experiment", "applicant")
        .order_by("submitted_at")
    )
    rows = []
    for application in applications:
        submitted = timezone.localdate(application.submitted_at)
        decided = timezone.localdate(application.decided_at) if application.decided_at else None
        rows.append(
            DashboardRow(
                application=application,
                submitted_on=submitted,
                due_on=submitted + timedelta(days=call.decision_days),
                decided_on=decided,
                days=((decided or today) - submitted).days,
            )
        )
    return Dashboard(call=call, rows=rows)


def report_due_on(application: Application) -> date | None:
    """The final report is due the call's ``report_due_days`` after the experiment's end date;
    while the experiment has no end date, it has no due date either (never the decision date)."""
    if application.status != ApplicationStatus.APPROVED:
        return None
    end = application.experiment.ends_on
    return end + timedelta(days=application.call.report_due_days) if end else None


def overdue_reports(call: Call, today: date | None = None) -> list[tuple[Application, date]]:
    today = today or timezone.localdate()
    result = []
    approved = (
        call.applications.filter(status=ApplicationStatus.APPROVED)
        .exclude(reports__kind="final")
        .select_related("experiment", "applicant", "call")
    )
    for application in approved:
        due = report_due_on(application)
        if due and due < today:
            result.append((application, due))
    return result


def instalments_of(application: Application) -> list[Instalment]:
    """The grant's instalments with the payments recorded against each."""
    return list(application.instalments.prefetch_related("payments"))


def own_assignment(application: Application, user: Any) -> ReviewAssignment | None:
    if not user.is_authenticated:
        return None
    return application.assignments.filter(reviewer=user).first()


def reviews_of(application: Application) -> list[ReviewAssignment]:
    """Each reviewer's assignment with their scores and comments, criterion by criterion, for
    the coordinators who decide (never shown to applicants or the public)."""
    return list(
        application.assignments.select_related("reviewer").prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
    )


# --- What the pages show ----------------------------------------------------------------------


def call_criteria_rows(call: Call | None) -> list[dict[str, Any]]:
    """The call's criteria as the call form's initial rows."""
    if call is None:
        return []
    return [{"name": c.name, "name_sv": c.name_sv, "weight": c.weight} for c in call.criteria.all()]


def call_question_rows(call: Call | None) -> list[dict[str, Any]]:
    """The call's questions as the call form's initial rows."""
    if call is None:
        return []
    return [
        {
            "kind": q.kind,
            "label": q.label,
            "label_sv": q.label_sv,
            "help_text": q.help_text,
            "required": q.required,
            "choices": "\n".join(q.choices),
        }
        for q in call.questions.all()
    ]


def call_has_applications(call: Call | None) -> bool:
    return call is not None and call.applications.exists()


def applying_choices(user: Any, call: Call) -> tuple[QuerySet[Organisation], QuerySet[Experiment]]:
    """The organisations ``user`` may apply for, and their experiments not yet in ``call``."""
    organisations = Organisation.objects.filter(memberships__user=user).order_by("name")
    experiments = (
        Experiment.objects.filter(owner__in=organisations)
        .exclude(applications__call=call)
        .order_by("title")
    )
    return organisations, experiments


def answers_of(application: Application) -> dict[int, Answer]:
    return {a.question_id: a for a in application.answers.all()}


def answer_file_of(application: Application, answer_id: int) -> Answer | None:
    """The answer's file, when the answer belongs to ``application`` and holds one."""
    answer = application.answers.filter(pk=answer_id).first()
    return answer if answer is not None and answer.file else None


def applications_of(user: Any) -> QuerySet[Application]:
    """The applications of the organisations ``user`` belongs to, newest first."""
    return (
        Application.objects.filter(applicant__memberships__user=user)
        .select_related("call", "experiment", "applicant")
        .distinct()
        .order_by("-created_at")
    )


def reviews_for(user: Any) -> QuerySet[ReviewAssignment]:
    """A reviewer's assignments. A revoked reviewer keeps the rows (the decision's basis) but
    no longer sees them."""
    return (
        ReviewAssignment.objects.filter(
            reviewer=user, reviewer__role_assignments__role=PlatformRole.REVIEWER
        )
        .select_related("application__call", "application__experiment")
        .order_by("submitted_at", "-assigned_at")
    )


def reviewer_choices(application: Application) -> QuerySet[User]:
    """Reviewers who may take the application: not of the applicant, not assigned already."""
    return (
        get_user_model()
        .objects.filter(role_assignments__role=PlatformRole.REVIEWER, is_active=True)
        .exclude(memberships__organisation=application.applicant)
        .exclude(review_assignments__application=application)
        .distinct()
        .order_by("name")
    )


def other_reviews(
    assignment: ReviewAssignment, criteria: list[Criterion]
) -> list[tuple[int, Decimal, ReviewAssignment]]:
    """The other submitted reviews, numbered and with their weighted totals, for a reviewer
    who has submitted their own."""
    others = (
        assignment.application.assignments.filter(submitted_at__isnull=False)
        .exclude(pk=assignment.pk)
        .prefetch_related("scores")
    )
    return [
        (n + 1, weighted_total(list(a.scores.all()), criteria), a) for n, a in enumerate(others)
    ]


def application_answers(application: Application) -> QuerySet[Answer]:
    return application.answers.select_related("question")


def active_people(ids: list[int]) -> list[Any]:
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))
