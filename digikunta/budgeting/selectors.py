"""Reads of participatory budgeting: the state of the vote, the ballot's projects, a person's own
ballot, and the results, counted by the database in one aggregate (ADR 0021)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from digikunta.budgeting import receipts, voting
from digikunta.budgeting.models import Ballot, BudgetArea, Project
from digikunta.participation import lifecycle
from digikunta.participation.eligibility import Standing
from digikunta.participation.lifecycle import Action
from digikunta.participation.models import Basis, Idea, Phase, PhaseKind, Process

# How long the counts of a closed vote stay in the shared cache (counts()): a day, then they are
# counted again.
COUNTS_KEPT = 24 * 60 * 60


@dataclass(frozen=True)
class VotingState:
    """Where the vote of a process stands on a day."""

    phase: Phase | None
    is_open: bool
    today: date

    @property
    def opens_on(self) -> date | None:
        return self.phase.starts_on if self.phase else None

    @property
    def closes_on(self) -> date | None:
        return self.phase.ends_on if self.phase else None

    @property
    def has_started(self) -> bool:
        return self.phase is not None and self.today >= self.phase.starts_on

    @property
    def has_closed(self) -> bool:
        """The voting phase is over: ballots can no longer change and the results are public."""
        return self.phase is not None and self.today > self.phase.ends_on

    @property
    def is_upcoming(self) -> bool:
        return self.phase is not None and self.today < self.phase.starts_on


def voting_state(process: Process, today: date | None = None) -> VotingState:
    """The vote's state from the process's phases (read once; prefetched phases are used)."""
    today = today or timezone.localdate()
    phases = list(process.phases.all())
    phase = next((p for p in phases if p.kind == PhaseKind.VOTING), None)
    is_open = process.is_published and Action.VOTE in lifecycle.allowed_actions(phases, today)
    return VotingState(phase=phase, is_open=is_open, today=today)


def checked_projects() -> Prefetch[Any]:
    return Prefetch(
        "projects",
        queryset=Project.objects.filter(cost_checked_at__isnull=False).select_related("idea"),
    )


def areas_of(process: Process, *, all_projects: bool = False) -> list[BudgetArea]:
    """The process's areas, each with its projects (those whose cost is checked, or all of them
    for the managers' page) and municipalities, in three queries."""
    projects: Any = (
        Prefetch("projects", queryset=Project.objects.select_related("idea", "cost_checked_by"))
        if all_projects
        else checked_projects()
    )
    rows = BudgetArea.objects.filter(process=process).prefetch_related(projects, "municipalities")
    return list(rows)


def has_areas(process: Process) -> bool:
    return BudgetArea.objects.filter(process=process).exists()


def area_codes(area: BudgetArea) -> set[str]:
    return {m.code for m in area.municipalities.all()}


def areas_for(areas: list[BudgetArea], standing: Standing | None) -> list[BudgetArea]:
    """The areas a person with ``standing`` may vote in: the ones named for their
    municipality, or, when none is, the ones open to the whole process."""
    if standing is None:
        return []
    named = [a for a in areas if standing.municipality_code in area_codes(a)]
    return named or [a for a in areas if not area_codes(a)]


def ballot_projects(area: BudgetArea) -> dict[int, Project]:
    """The projects on the area's ballot (cost checked), by id."""
    return {p.pk: p for p in area.projects.all() if p.cost_checked_at is not None}


def own_ballot(user: Any, process: Process) -> Ballot | None:
    """The person's own ballot in the process: only they ever read it with its choices."""
    if not user.is_authenticated:
        return None
    return Ballot.objects.filter(process=process, voter=user).select_related("area").first()


def ballot_by_receipt(code: str, process: Process | None = None) -> Ballot | None:
    """The ballot with this receipt code, for "is my ballot counted?". Callers show only its
    dates and process, never its voter or choices."""
    digest = receipts.digest(code)
    if not digest:
        return None
    ballots = Ballot.objects.filter(receipt_digest=digest).select_related("process")
    if process is not None:
        ballots = ballots.filter(process=process)
    return ballots.only("process", "cast_at", "changed_at").first()


def ballot_count(process: Process) -> int:
    return Ballot.objects.filter(process=process).count()


def votes_per_project(process: Process) -> dict[int, int]:
    """Votes per project id in the process: one aggregate over the ballots' JSON choices,
    computed by the database (60,000 ballots in docs/benchmarks.md, "Budgeting tally")."""
    table = Ballot._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT choice::bigint, COUNT(*) FROM {table} "  # noqa: S608 - our table name
            "CROSS JOIN LATERAL jsonb_array_elements_text(choices) AS choice "
            "WHERE process_id = %s GROUP BY choice"
        )
    else:
        sql = (
            f"SELECT choice.value, COUNT(*) FROM {table}, json_each({table}.choices) AS choice "  # noqa: S608
            "WHERE process_id = %s GROUP BY choice.value"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [process.pk])
        return {int(project): count for project, count in cursor.fetchall()}


@dataclass
class AreaResult:
    area: BudgetArea
    rows: list[tuple[Project, voting.Outcome]]
    ballots: int
    spent: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.area.budget - self.spent

    @property
    def funded(self) -> list[Project]:
        return [project for project, outcome in self.rows if outcome.is_funded]


@dataclass(frozen=True)
class Counts:
    """What the database counted of a process's ballots: per area, per project, per basis."""

    ballots_per_area: dict[int, int]
    votes: dict[int, int]
    ballots_per_basis: dict[str, int]


def counts(process: Process, state: VotingState | None = None) -> Counts:
    """The process's ballots counted by the database: votes per project, ballots per area and
    per basis.

    Once voting has closed the ballots no longer change (no service casts, changes or removes
    one; erasure only unlinks the voter), so the counts are kept in the shared cache and the
    results page, the API and the open data do not redo the aggregates for every reader. The
    key names the voting phase and its last day: editing the phases (phases_set makes new
    rows) to reopen the vote makes a new key. While voting is open they are counted afresh.
    """
    state = state or voting_state(process)
    if not state.has_closed or state.phase is None:
        return _count(process)
    key = f"budgeting:counts:{process.pk}:{state.phase.pk}:{state.phase.ends_on.isoformat()}"
    kept: Counts | None = caches["default"].get(key)
    if kept is None:
        kept = _count(process)
        caches["default"].set(key, kept, COUNTS_KEPT)
    return kept


def _count(process: Process) -> Counts:
    ballots = Ballot.objects.filter(process=process)
    return Counts(
        dict(ballots.values_list("area").annotate(n=Count("pk")).values_list("area", "n")),
        votes_per_project(process),
        dict(ballots.values_list("basis").annotate(n=Count("pk")).values_list("basis", "n")),
    )


def results(process: Process, counted: Counts | None = None) -> list[AreaResult]:
    """Each area's projects ranked by votes, with the funded line (voting.fund)."""
    counted = counted or counts(process)
    found = []
    for area in areas_of(process):
        projects = {p.pk: p for p in area.projects.all()}
        outcomes = voting.fund(projects.values(), counted.votes, area.budget)
        rows = [(projects[o.project_id], o) for o in outcomes]
        spent = sum((o.cost for o in outcomes if o.is_funded), Decimal(0))
        found.append(AreaResult(area, rows, counted.ballots_per_area.get(area.pk, 0), spent))
    return found


@dataclass
class TurnoutRow:
    key: str  # the area's id or the basis ("resident"…), for the open data
    label: str
    ballots: int
    share: Decimal | None = None  # of all ballots, per cent
    population: int | None = None

    @property
    def per_population(self) -> Decimal | None:
        """Ballots per hundred people of the area (Statistics Finland's population, all ages)."""
        if not self.population:
            return None
        return Decimal(self.ballots * 100) / Decimal(self.population)


@dataclass
class Turnout:
    ballots: int
    by_area: list[TurnoutRow] = field(default_factory=list)
    by_basis: list[TurnoutRow] = field(default_factory=list)


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part * 100) / Decimal(whole) if whole else None


def turnout(
    process: Process, areas: list[BudgetArea] | None = None, counted: Counts | None = None
) -> Turnout:
    """Ballots by area and by eligibility kind (resident, summer resident…), from counts();
    the area's population from the reference data."""
    counted = counted or counts(process)
    per_area, per_basis = counted.ballots_per_area, counted.ballots_per_basis
    total = sum(per_area.values())
    areas = areas if areas is not None else areas_of(process)
    whole = process.municipalities.aggregate(people=Sum("population"))["people"]
    result = Turnout(total)
    for area in areas:
        named = list(area.municipalities.all())
        people = sum(m.population or 0 for m in named) if named else whole
        count = per_area.get(area.pk, 0)
        result.by_area.append(
            TurnoutRow(str(area.pk), area.localized_name, count, _share(count, total), people)
        )
    for basis in Basis:
        if basis in process.eligible_bases or per_basis.get(basis):
            count = per_basis.get(basis, 0)
            result.by_basis.append(
                TurnoutRow(basis.value, str(basis.label), count, _share(count, total))
            )
    return result


def ideas_of(process: Process) -> QuerySet[Idea]:
    """The process's ideas, for making projects of them (the managers' page)."""
    return Idea.objects.filter(process=process).order_by("-support_count", "-created_at")


def project_initial(process: Process, idea_id: str) -> dict[str, Any]:
    """A new project's fields taken from one of the process's ideas ("make a project of it")."""
    if not idea_id.isdigit() or len(idea_id) > 18:
        return {}
    idea = Idea.objects.filter(process=process, pk=int(idea_id)).first()
    if idea is None:
        return {}
    return {"idea": idea.pk, "title": idea.title[:150], "description": idea.body}
