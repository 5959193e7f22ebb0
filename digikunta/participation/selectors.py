"""Reads of resident participation that span models or depend on the viewer."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from digikunta.experiments.models import Experiment, Visibility
from digikunta.experiments.origins import Origin
from digikunta.municipalities.models import Municipality
from digikunta.organisations.rules import organisation_roles
from digikunta.participation import eligibility, lifecycle
from digikunta.participation.lifecycle import Action
from digikunta.participation.models import Idea, IdeaFollow, Phase, Process, Support
from digikunta.participation.rules import staff
from digikunta.search.selectors import search


def processes_for(user: Any) -> QuerySet[Process]:
    """The processes a person may see: the published ones, and the drafts of those they run
    (the same rule as ``participation.view_process``)."""
    processes = Process.objects.select_related("organiser").prefetch_related("phases")
    if not user.is_authenticated:
        return processes.published()
    if staff(user):
        return processes
    admin_of = [pk for pk, role in organisation_roles(user).items() if role == "admin"]
    return processes.filter(Q(published_at__isnull=False) | Q(organiser__in=admin_of))


@dataclass
class ProcessCard:
    process: Process
    phase: Phase | None
    next_phase: Phase | None
    idea_count: int


def process_cards(processes: QuerySet[Process], today: date | None = None) -> list[ProcessCard]:
    """Processes with their running phase and idea count (kept on the process): two queries
    whatever their number."""
    today = today or timezone.localdate()
    rows = list(processes)
    cards = []
    for process in rows:
        phases = list(process.phases.all())
        upcoming = sorted((p for p in phases if p.starts_on > today), key=lambda p: p.starts_on)
        cards.append(
            ProcessCard(
                process=process,
                phase=lifecycle.current_phase(phases, today),
                next_phase=upcoming[0] if upcoming else None,
                idea_count=process.idea_count,
            )
        )
    return cards


def open_processes_in(municipality: Municipality, today: date | None = None) -> list[ProcessCard]:
    """The published processes of a municipality's area with a phase running or to come."""
    today = today or timezone.localdate()
    processes = (
        Process.objects.published()
        .filter(municipalities=municipality, phases__ends_on__gte=today)
        .distinct()
        .select_related("organiser")
        .prefetch_related("phases")
    )
    return process_cards(processes, today)


def latest_ideas_in(municipality: Municipality, limit: int = 5) -> list[Idea]:
    return list(
        Idea.objects.visible()
        .filter(process__published_at__isnull=False, process__municipalities=municipality)
        .select_related("process", "answer")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass
class Waiting:
    """How the municipality keeps up with answers: shown on the process page."""

    total: int
    unanswered: int
    oldest_since: datetime | None

    @property
    def oldest_days(self) -> int | None:
        if self.oldest_since is None:
            return None
        return (timezone.now() - self.oldest_since).days


def waiting_for_answers(process: Process) -> Waiting:
    """From the process's kept counts, and the oldest unanswered idea by the newest-first
    index read backwards: no count over its ideas."""
    unanswered = process.idea_count - process.answered_count
    oldest = None
    if unanswered:
        oldest = (
            Idea.objects.filter(process=process, answered_at__isnull=True, hidden_at__isnull=True)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
    return Waiting(process.idea_count, unanswered, oldest)


def ideas_of(
    process: Process,
    *,
    query: str = "",
    theme: Any = None,
    answer: str = "",
    order: str = "new",
) -> QuerySet[Idea]:
    ideas = Idea.objects.visible().filter(process=process).select_related("theme", "answer")
    if theme is not None:
        ideas = ideas.filter(theme=theme)
    if answer == "none":
        ideas = ideas.filter(answer__isnull=True)
    elif answer:
        ideas = ideas.filter(answer__status=answer)
    if query:
        return search(ideas, query)
    if order == "support":
        return ideas.order_by("-support_count", "-created_at", "-pk")
    return ideas.order_by("-created_at", "-pk")


def ideas_matching(
    user: Any, *, query: str = "", municipality: Any = None, theme: Any = None, answer: str = ""
) -> QuerySet[Idea]:
    """Ideas of the processes ``user`` may see, best match first with words, else newest."""
    ideas = (
        Idea.objects.visible()
        .filter(process__in=processes_for(user).values("pk"))
        .select_related("process", "theme", "answer")
    )
    if municipality is not None:
        ideas = ideas.filter(
            process__in=Process.objects.filter(municipalities=municipality).values("pk")
        )
    if theme is not None:
        ideas = ideas.filter(theme=theme)
    if answer == "none":
        ideas = ideas.filter(answer__isnull=True)
    elif answer:
        ideas = ideas.filter(answer__status=answer)
    if query:
        return search(ideas, query)
    return ideas.order_by("-created_at", "-pk")


def supported_ids(user: Any, ideas: list[Idea]) -> set[int]:
    """Which of ``ideas`` the person supports: one query for a page of them."""
    if not user.is_authenticated or not ideas:
        return set()
    return set(
        Support.objects.filter(user=user, idea__in=[i.pk for i in ideas]).values_list(
            "idea_id", flat=True
        )
    )


@dataclass
class Viewer:
    """What one person may do on a process page or an idea page, and why not."""

    allowed: frozenset[Action]
    problem: str | None  # why taking part is not possible (eligibility), or None
    standing: eligibility.Standing | None
    needs_declaration: bool


def viewer(user: Any, process: Process, today: date | None = None) -> Viewer:
    today = today or timezone.localdate()
    allowed = (
        lifecycle.allowed_actions(process.phase_list, today)
        if process.is_published
        else frozenset()
    )
    standing = eligibility.standing(user, process) if user.is_authenticated else None
    return Viewer(
        allowed=allowed,
        problem=eligibility.eligibility_problem(user, process),
        standing=standing,
        needs_declaration=user.is_authenticated and standing is None,
    )


def idea_page(idea: Idea, user: Any) -> dict[str, Any]:
    """What the idea's page shows, in a fixed number of queries."""
    idea_with = (
        Idea.objects.filter(pk=idea.pk)
        .annotate(
            supported=Exists(Support.objects.filter(idea=OuterRef("pk"), user=user.pk or 0)),
            followed=Exists(IdeaFollow.objects.filter(idea=OuterRef("pk"), user=user.pk or 0)),
        )
        .values("supported", "followed")
        .first()
    ) or {"supported": False, "followed": False}
    experiment = idea.experiment
    shown_experiment = (
        experiment
        if experiment is not None and experiment.visibility == Visibility.PUBLIC
        else None
    )
    return {
        "images": list(idea.images.all()),
        "answer": getattr(idea, "answer", None),
        "experiment": shown_experiment,
        "is_supported": idea_with["supported"],
        "is_following": idea_with["followed"],
        "waiting_days": (timezone.now() - idea.created_at).days,
    }


def linkable_experiments(process: Process) -> QuerySet[Experiment]:
    """Experiments an idea of the process may be linked to: those of its organiser or its
    area."""
    return (
        Experiment.objects.filter(
            Q(owner=process.organiser) | Q(municipalities__in=process.municipalities.all())
        )
        .distinct()
        .order_by("title")
    )


def idea_origins(experiment: Experiment) -> list[Origin]:
    """The published ideas an experiment came from, for its page (experiments/origins.py)."""
    ideas = (
        Idea.objects.visible()
        .filter(experiment=experiment, process__published_at__isnull=False)
        .select_related("process")
        .order_by("-support_count", "pk")
    )
    return [
        Origin(
            title=idea.title,
            language=idea.language,
            url=idea.get_absolute_url(),
            summary=ngettext(
                "a residents' idea in %(process)s, %(count)s support",
                "a residents' idea in %(process)s, %(count)s supports",
                idea.support_count,
            )
            % {"process": idea.process.localized_title, "count": idea.support_count},
        )
        for idea in ideas
    ]


def unanswered_for_a_while(process: Process, days: int = 30) -> int:
    return process.ideas.filter(
        answer__isnull=True, created_at__lt=timezone.now() - timedelta(days=days)
    ).count()
