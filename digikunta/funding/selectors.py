"""Reads of the accelerator: eligibility, what blocks a submission, review totals, the funding
suggestion and the decision-time dashboard."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from statistics import mean, median
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.experiments.selectors import experiments_visible_to
from digikunta.funding.models import (
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

# A fast-track application is one page: the summary must fit on it.
FAST_TRACK_SUMMARY_CHARS = 3000


def organisation_region(organisation: Organisation) -> str | None:
    if organisation.region_id:
        return organisation.region_id
    municipality = organisation.municipality or organisation.home_municipality
    return municipality.region_id if municipality else None


def eligibility_problems(call: Call, organisation: Organisation) -> list[str]:
    """Why ``organisation`` may not apply to ``call``; empty when it may."""
    problems = []
    if call.eligible_kinds and organisation.kind not in call.eligible_kinds:
        kinds = ", ".join(str(OrganisationKind(k).label) for k in call.eligible_kinds)
        problems.append(
            _("This call is open to these organisation types only: %(kinds)s.") % {"kinds": kinds}
        )
    regions = {r.code: r for r in call.eligible_regions.all()}
    if regions and organisation_region(organisation) not in regions:
        names = ", ".join(str(r) for r in regions.values())
        problems.append(
            _("This call is open to organisations in these regions only: %(regions)s.")
            % {"regions": names}
        )
    return problems


def submission_problems(application: Application, now: datetime) -> list[str]:
    """Everything that stops the submission, each saying what to fix; empty when it may go."""
    call = application.call
    problems = []
    if now >= call.closes_at:
        problems.append(
            _("The call closed at %(time)s: late applications are not accepted.")
            % {"time": _local(call.closes_at)}
        )
    elif now < call.opens_at:
        problems.append(_("The call opens at %(time)s.") % {"time": _local(call.opens_at)})
    if not application.summary.strip():
        problems.append(_("Write what the money is for."))
    elif call.fast_track and len(application.summary) > FAST_TRACK_SUMMARY_CHARS:
        problems.append(
            _(
                "A fast-track application fits on one page: shorten “what the money is for” to "
                "%(max)s characters (now %(n)s)."
            )
            % {"max": FAST_TRACK_SUMMARY_CHARS, "n": len(application.summary)}
        )
    lines = list(application.budget_lines.all())
    total = sum((line.amount for line in lines), Decimal("0"))
    if not lines or total <= 0:
        problems.append(_("Add the budget: at least one cost item with its sum."))
    requested = max(total - application.own_contribution, Decimal("0"))
    if requested > call.max_per_application:
        problems.append(
            _(
                "You ask for %(requested)s €, over the call's maximum of %(max)s € per "
                "application: lower the costs or raise your own contribution."
            )
            % {"requested": requested, "max": call.max_per_application}
        )
    if application.own_contribution > total and lines:
        problems.append(_("Your own contribution cannot be larger than the total costs."))
    needed = (total * call.own_contribution_percent / 100).quantize(Decimal("0.01"))
    if call.own_contribution_percent and application.own_contribution < needed:
        problems.append(
            _(
                "Your own contribution must be at least %(percent)s %% of the total costs, "
                "%(needed)s € (now %(own)s €)."
            )
            % {
                "percent": call.own_contribution_percent,
                "needed": needed,
                "own": application.own_contribution,
            }
        )
    answers = {a.question_id: a for a in application.answers.all()}
    for question in application.call.questions.all():
        answer = answers.get(question.pk)
        if question.required and (answer is None or answer.is_empty):
            verb = _("Attach") if question.kind == QuestionKind.FILE else _("Answer")
            problems.append(
                _("%(verb)s: “%(question)s”.") % {"verb": verb, "question": question.display_label}
            )
    return problems


def _local(moment: datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def budget_left(call: Call) -> Decimal:
    granted = (
        Instalment.objects.filter(application__call=call)
        .exclude(application__status=ApplicationStatus.WITHDRAWN)
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
        return (sum(self.reviewer_totals) / len(self.reviewer_totals)).quantize(Decimal("0.01"))

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
        if row.mean is None or application.status not in {
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.IN_REVIEW,
        }:
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
    grouped: dict[str, list[Call]] = {"open": [], "upcoming": [], "closed": []}
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


def public_decisions(call: Call) -> QuerySet:
    """Approvals and rejections of the call: public. Never the reviewers or their scores."""
    return (
        call.applications.filter(
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED]
        )
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
                due_on=submitted + timezone.timedelta(days=call.decision_days),
                decided_on=decided,
                days=((decided or today) - submitted).days,
            )
        )
    return Dashboard(call=call, rows=rows)


def report_due_on(application: Application) -> date | None:
    """The final report is due ``report_due_days`` after the experiment ends (its end date, or
    the decision date when it has none)."""
    if application.status != ApplicationStatus.APPROVED:
        return None
    end = application.experiment.ends_on or (
        timezone.localdate(application.decided_at) if application.decided_at else None
    )
    return end + timezone.timedelta(days=application.call.report_due_days) if end else None


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
