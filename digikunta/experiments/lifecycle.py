"""The experiment lifecycle: which moves are allowed and what each move requires.

Pure rules with no database, so views, the API, imports and the admin share one answer.
idea → planned → running → ended → evaluated → spread; a plan may go back to an idea.
"""

from dataclasses import dataclass

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

ALLOWED: dict[str, frozenset[str]] = {
    IDEA: frozenset({PLANNED}),
    PLANNED: frozenset({IDEA, RUNNING}),
    RUNNING: frozenset({ENDED}),
    ENDED: frozenset({EVALUATED}),
    EVALUATED: frozenset({SPREAD}),
    SPREAD: frozenset(),
}


@dataclass(frozen=True)
class State:
    status: str
    results: str = ""
    outcome: str = ""
    lessons: str = ""


def allowed_moves(status: str) -> list[str]:
    """The statuses an experiment in ``status`` may move to, in lifecycle order."""
    return [s for s in ORDER if s in ALLOWED.get(status, frozenset())]


def transition_errors(state: State, to: str) -> dict[str, str]:
    """What stops the move from ``state`` to ``to``: field name → message; empty when allowed."""
    if to not in ALLOWED:
        return {"to": str(_("Choose one of the lifecycle stages."))}
    if to not in ALLOWED[state.status]:
        return {
            "to": str(
                _("An experiment cannot move from “%(from)s” to “%(to)s”.")
                % {"from": label(state.status), "to": label(to)}
            )
        }
    errors = {}
    if to == ENDED:
        if not state.results.strip():
            errors["results"] = str(_("Write the results before ending the experiment."))
        if not state.outcome:
            errors["outcome"] = str(
                _("Choose the outcome before ending the experiment: a failure is a result too.")
            )
    if to == EVALUATED and not state.lessons.strip():
        errors["lessons"] = str(_("Write the lessons learned before marking it evaluated."))
    return errors


def label(status: str) -> str:
    from digikunta.experiments.models import Status

    return str(Status(status).label) if status in Status.values else status
