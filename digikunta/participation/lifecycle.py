"""What is possible in a process when: its phases and the actions each allows, as pure rules
shared by the pages, the API and the services (like experiments/lifecycle.py)."""

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Protocol, TypeVar

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digikunta.participation.models import PhaseKind


class Action(StrEnum):
    POST_IDEA = "post_idea"
    COMMENT = "comment"
    SUPPORT = "support"
    VOTE = "vote"


# What each phase allows. Comments stay open through co-creation and voting, so that people
# can still discuss the projects they vote on; implementation is for following up.
ALLOWS: dict[str, frozenset[Action]] = {
    PhaseKind.IDEAS: frozenset({Action.POST_IDEA, Action.COMMENT, Action.SUPPORT}),
    PhaseKind.CO_CREATION: frozenset({Action.COMMENT, Action.SUPPORT}),
    PhaseKind.VOTING: frozenset({Action.VOTE, Action.COMMENT}),
    PhaseKind.IMPLEMENTATION: frozenset({Action.COMMENT}),
}

# The order of the phases in a process.
ORDER = [PhaseKind.IDEAS, PhaseKind.CO_CREATION, PhaseKind.VOTING, PhaseKind.IMPLEMENTATION]

# One line per phase, shown on the process page: what a person can do in it.
WHAT_YOU_CAN_DO = {
    PhaseKind.IDEAS: gettext_lazy("Post ideas, comment on them and support the ones you like."),
    PhaseKind.CO_CREATION: gettext_lazy(
        "The municipality answers the ideas and works the best of them into projects with "
        "costs; you can still comment and support."
    ),
    PhaseKind.VOTING: gettext_lazy("Choose the projects you want within the area's budget."),
    PhaseKind.IMPLEMENTATION: gettext_lazy(
        "The chosen projects are carried out; follow them and comment on how they go."
    ),
}

ACTION_NAMES = {
    Action.POST_IDEA: gettext_lazy("Posting ideas"),
    Action.COMMENT: gettext_lazy("Commenting"),
    Action.SUPPORT: gettext_lazy("Supporting ideas"),
    Action.VOTE: gettext_lazy("Voting"),
}


class PhaseLike(Protocol):
    kind: str
    starts_on: date
    ends_on: date


P = TypeVar("P", bound=PhaseLike)


def current_phase(phases: Iterable[P], today: date) -> P | None:
    """The phase running today, if any (phases of one process do not overlap by kind, and
    where two overlap the later kind wins)."""
    running = [phase for phase in phases if phase.starts_on <= today <= phase.ends_on]
    return max(running, key=lambda phase: ORDER.index(PhaseKind(phase.kind)), default=None)


def allowed_actions(phases: Iterable[PhaseLike], today: date) -> frozenset[Action]:
    phase = current_phase(phases, today)
    return ALLOWS[phase.kind] if phase else frozenset()


def action_problem(
    phases: Iterable[PhaseLike], action: Action, today: date, *, published: bool = True
) -> str | None:
    """Why ``action`` is not possible today, in the reader's language; None when it is."""
    phases = list(phases)
    if not published:
        return _("The process is not published yet.")
    if action in allowed_actions(phases, today):
        return None
    name = ACTION_NAMES[action]
    later = sorted(
        (p for p in phases if action in ALLOWS[p.kind] and p.starts_on > today),
        key=lambda p: p.starts_on,
    )
    if later:
        return _("%(action)s opens on %(date)s.") % {
            "action": name,
            "date": date_format(later[0].starts_on, "SHORT_DATE_FORMAT"),
        }
    if any(action in ALLOWS[p.kind] for p in phases):
        return _("%(action)s has closed in this process.") % {"action": name}
    return _("%(action)s is not part of this process.") % {"action": name}


def phase_problems(phases: Iterable[PhaseLike]) -> list[str]:
    """What is wrong with a process's phases as a whole: they must come in order, ideas before
    co-creation before voting before implementation, and not overlap."""
    ordered = sorted(phases, key=lambda p: ORDER.index(PhaseKind(p.kind)))
    problems = []
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_on <= earlier.ends_on:
            problems.append(
                _("The %(later)s phase must start after the %(earlier)s phase ends.")
                % {
                    "later": PhaseKind(later.kind).label,
                    "earlier": PhaseKind(earlier.kind).label,
                }
            )
    return problems
