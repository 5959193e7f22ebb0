"""The experiment lifecycle: which moves are allowed and what each move requires.

Pure rules with no database, so the stage form, the API, the import, funding and the services
share one answer (issue 10); the callers read the database and pass what they found in a
``State``.

- idea → planned → running → ended → evaluated → spread; a plan may go back to an idea
  (``allowed_moves``, ``path``).
- Ending asks for the outcome and the results, marking it evaluated for the lessons learned
  (``needs``); no other move asks for anything.
- Marking it spread needs a reuse by another organisation on Digikunta; a coordinator, who
  knows of spreading outside the platform, may mark it without one (``blocked_reason``).
- What a stage asked for stays: the results, outcome and lessons of an experiment that has
  passed that stage cannot be emptied by an edit (``kept_errors``).
- An import moves an experiment only along the allowed moves, each asking what it asks on the
  page (``reach_errors``).
- Steps still planned once an experiment is evaluated are flagged to those who can edit it
  (``is_leftover_step``).
"""

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

IDEA, PLANNED, RUNNING, ENDED, EVALUATED, SPREAD = (
    "idea",
    "planned",
    "running",
    "ended",
    "evaluated",
    "spread",
)
ORDER = [IDEA, PLANNED, RUNNING, ENDED, EVALUATED, SPREAD]
# The stage names, here so that the rules' messages name them without the models (Status).
LABELS = {
    IDEA: _("idea"),
    PLANNED: _("planned"),
    RUNNING: _("running"),
    ENDED: _("ended"),
    EVALUATED: _("evaluated"),
    SPREAD: _("spread"),
}

ALLOWED: dict[str, frozenset[str]] = {
    IDEA: frozenset({PLANNED}),
    PLANNED: frozenset({IDEA, RUNNING}),
    RUNNING: frozenset({ENDED}),
    ENDED: frozenset({EVALUATED}),
    EVALUATED: frozenset({SPREAD}),
    SPREAD: frozenset(),
}
# What a move to a stage asks for, in the order the messages name them.
NEEDS: dict[str, tuple[str, ...]] = {ENDED: ("results", "outcome"), EVALUATED: ("lessons",)}
# A step's status that, once the experiment is evaluated, says it was never settled.
STEP_PLANNED = "planned"
# From these stages on, steps still planned are flagged.
SETTLED_STAGES = frozenset({EVALUATED, SPREAD})


@dataclass(frozen=True)
class State:
    status: str
    results: str = ""
    outcome: str = ""
    lessons: str = ""
    # Another organisation has reused it on Digikunta, in a reuse that is not a draft.
    is_reused_elsewhere: bool = False


def label(status: str) -> str:
    return str(LABELS.get(status, status))


def allowed_moves(status: str) -> list[str]:
    """The statuses an experiment in ``status`` may move to, in lifecycle order."""
    return [s for s in ORDER if s in ALLOWED.get(status, frozenset())]


def needs(to: str) -> tuple[str, ...]:
    """The fields a move to ``to`` asks for: the stage form shows exactly these."""
    return NEEDS.get(to, ())


def need_message(name: str) -> str:
    """What to tell a person who left out ``name`` when a move asked for it."""
    messages = {
        "results": _("Write the results before ending the experiment."),
        "outcome": _("Choose the outcome before ending the experiment: a failure is a result too."),
        "lessons": _("Write the lessons learned before marking it evaluated."),
    }
    return str(messages[name])


def _is_missing(state: State, name: str) -> bool:
    return not str(getattr(state, name) or "").strip()


def blocked_reason(state: State, to: str, *, by_coordinator: bool = False) -> str:
    """Why the move from ``state`` to ``to`` cannot be made whatever the person writes with
    it; empty when it can. The stage form leaves such moves out and shows the reason."""
    if to not in ALLOWED:
        return str(_("Choose one of the lifecycle stages."))
    if to not in ALLOWED.get(state.status, frozenset()):
        return str(
            _("An experiment cannot move from “%(from)s” to “%(to)s”.")
            % {"from": label(state.status), "to": label(to)}
        )
    if to == SPREAD and not (state.is_reused_elsewhere or by_coordinator):
        return str(
            _(
                "An experiment is marked spread once another organisation has reused it on "
                "Digikunta. If it spread in another way, ask a coordinator to mark it."
            )
        )
    return ""


def transition_errors(state: State, to: str, *, by_coordinator: bool = False) -> dict[str, str]:
    """What stops the move from ``state`` to ``to``: field name → message; empty when allowed.

    ``by_coordinator`` says the person moving it is a coordinator (spreading without a reuse)."""
    reason = blocked_reason(state, to, by_coordinator=by_coordinator)
    if reason:
        return {"to": reason}
    return {name: need_message(name) for name in needs(to) if _is_missing(state, name)}


def passed(status: str) -> list[str]:
    """The stages an experiment at ``status`` has gone through on its way, ``status`` included."""
    if status not in ORDER:
        return []
    return ORDER[: ORDER.index(status) + 1]


def kept_errors(state: State, changed: Iterable[str]) -> dict[str, str]:
    """What an edit to ``changed`` fields may not empty, ``state`` holding the edited values:
    the results and outcome of an ended (or later) experiment, the lessons of an evaluated
    (or later) one. Fields the edit leaves alone are not checked."""
    changed = set(changed)
    messages = {
        "results": _(
            "An ended experiment keeps its results: correct them, but do not leave them empty."
        ),
        "outcome": _("An ended experiment keeps its outcome: choose the one that fits."),
        "lessons": _(
            "An evaluated experiment keeps its lessons learned: correct them, but do not "
            "leave them empty."
        ),
    }
    errors = {}
    for stage in passed(state.status):
        for name in needs(stage):
            if name in changed and _is_missing(state, name):
                errors[name] = str(messages[name])
    return errors


def path(source: str, to: str) -> list[str] | None:
    """The stages an experiment at ``source`` passes through to reach ``to`` by allowed moves,
    ``to`` included: [] when it is there already, None when it cannot get there."""
    if source == to:
        return []
    if source not in ALLOWED or to not in ALLOWED:
        return None
    came_from: dict[str, str] = {}
    queue = deque([source])
    while queue:
        stage = queue.popleft()
        for following in allowed_moves(stage):
            if following in came_from or following == source:
                continue
            came_from[following] = stage
            if following == to:
                route = [to]
                while came_from[route[-1]] != source:
                    route.append(came_from[route[-1]])
                return route[::-1]
            queue.append(following)
    return None


def reach_errors(state: State, to: str, *, by_coordinator: bool = False) -> dict[str, str]:
    """What stops an experiment in ``state`` from reaching ``to`` by the allowed moves, each
    asking for what it asks on the page, with the texts ``state`` holds. The import checks a
    row so: a new experiment from an idea, one imported before from its stage now."""
    route = path(state.status, to)
    if route is None:
        if to not in ALLOWED:
            return {"to": str(_("Choose one of the lifecycle stages."))}
        return {
            "to": str(
                _(
                    "An experiment at the stage “%(from)s” cannot move to “%(to)s”: stages go "
                    "forward only, except a plan back to an idea."
                )
                % {"from": label(state.status), "to": label(to)}
            )
        }
    errors: dict[str, str] = {}
    current = state
    for stage in route:
        for name, message in transition_errors(
            current, stage, by_coordinator=by_coordinator
        ).items():
            errors.setdefault(name, message)
        current = replace(current, status=stage)
    return errors


def is_leftover_step(status: str, step_status: str) -> bool:
    """Whether a step in ``step_status`` is still open although the experiment at ``status``
    has been evaluated: its lead should mark it done or dropped, so that readers know what
    was tried."""
    return status in SETTLED_STAGES and step_status == STEP_PLANNED
