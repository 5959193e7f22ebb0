"""The rules of a ballot and of the results, as pure functions over plain values: which choices
a ballot may hold, what remains of the budget, and which projects the votes fund. The pages,
the API and the services all ask these (like participation/lifecycle.py)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digikunta.core.converters import MAX_ID

# More choices than any ballot has projects: a longer list is refused before it is read.
MAX_CHOICES = 500


class Costed(Protocol):
    pk: int
    estimated_cost: Decimal


def euros(amount: Decimal) -> str:
    """An amount as the pages show it, in the reader's language: "18 500" or "18 500,50"."""
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, force_grouping=True)


def clean_ids(raw: Iterable[object]) -> list[int]:
    """The chosen project ids as whole numbers, each once, ascending; anything else refused with
    a message (a 64-bit overflow, a negative number, text, a duplicate)."""
    values = list(raw)
    if len(values) > MAX_CHOICES:
        raise ValidationError(
            _("A ballot can hold at most %(max)s projects.") % {"max": MAX_CHOICES},
            code="too_many",
        )
    ids: list[int] = []
    for value in values:
        if isinstance(value, bool):
            raise ValidationError(_("Choose projects from the ballot."), code="invalid_id")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError(
                _("Choose projects from the ballot."), code="invalid_id"
            ) from None
        if not 1 <= number <= MAX_ID:
            raise ValidationError(_("Choose projects from the ballot."), code="invalid_id")
        ids.append(number)
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Choose each project at most once."), code="duplicate")
    return sorted(ids)


@dataclass(frozen=True)
class Tally:
    """What a set of choices costs and what remains of the area's budget."""

    count: int
    total: Decimal
    budget: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.total

    @property
    def is_over(self) -> bool:
        return self.total > self.budget

    def summary(self) -> str:
        """ "You chose 3 projects for 18 500 €; 1 500 € remains." in the reader's language."""
        return self.summary_template(
            {
                "count": str(self.count),
                "total": euros(self.total),
                "remaining": euros(self.remaining),
                "over": euros(-self.remaining),
                "budget": euros(self.budget),
            }
        )

    def summary_template(self, values: Mapping[str, str]) -> str:
        """The summary's sentence for this count and state, filled with ``values`` (the
        figures, or placeholders for budget.js to fill in as the person chooses)."""
        if not self.count:
            return _("You have not chosen any project yet; the budget is %(budget)s €.") % values
        if self.is_over:
            return (
                ngettext(
                    "You chose %(count)s project for %(total)s €, %(over)s € over the budget of "
                    "%(budget)s €.",
                    "You chose %(count)s projects for %(total)s €, %(over)s € over the budget of "
                    "%(budget)s €.",
                    self.count,
                )
                % values
            )
        return (
            ngettext(
                "You chose %(count)s project for %(total)s €; %(remaining)s € remains.",
                "You chose %(count)s projects for %(total)s €; %(remaining)s € remains.",
                self.count,
            )
            % values
        )


def tally(projects: Sequence[Costed], budget: Decimal) -> Tally:
    return Tally(len(projects), sum((p.estimated_cost for p in projects), Decimal(0)), budget)


C = TypeVar("C", bound=Costed)


def chosen_projects(
    ids: Sequence[int], on_ballot: Mapping[int, C], budget: Decimal
) -> tuple[list[C], Tally]:
    """The projects of ``ids`` and their tally, or a ValidationError saying what to change: a
    project that is not on this area's ballot, no project at all, or more than the budget."""
    unknown = [pk for pk in ids if pk not in on_ballot]
    if unknown:
        raise ValidationError(
            _("Choose only projects on the ballot of your area."), code="not_on_ballot"
        )
    if not ids:
        raise ValidationError(_("Choose at least one project."), code="empty")
    chosen = [on_ballot[pk] for pk in ids]
    result = tally(chosen, budget)
    if result.is_over:
        raise ValidationError(
            _(
                "Your choices cost %(total)s €, %(over)s € more than the area's budget of "
                "%(budget)s €; remove a project or choose a cheaper one."
            )
            % {
                "total": euros(result.total),
                "over": euros(-result.remaining),
                "budget": euros(budget),
            },
            code="over_budget",
        )
    return chosen, result


@dataclass(frozen=True)
class Outcome:
    """One project in the results: its rank, its votes and whether the votes fund it."""

    project_id: int
    rank: int
    votes: int
    cost: Decimal
    is_funded: bool
    # True for the first project that no longer fits: the funded line is drawn above it.
    is_below_line_start: bool
    # True for it and every project ranked after it.
    is_below_line: bool
    remaining_after: Decimal


class Candidate(Protocol):
    pk: int
    estimated_cost: Decimal
    position: int


def fund(projects: Iterable[Candidate], votes: Mapping[int, int], budget: Decimal) -> list[Outcome]:
    """Rank the projects by votes and fund them in that order while the budget lasts.

    The rule (docs/budgeting.md, as in Helsinki's OmaStadi): go down the ranking; a project is
    funded if its cost fits in what remains, otherwise it is skipped and the next one is tried,
    so a cheaper project below the line can still be funded. The funded line is drawn where the
    first project does not fit. Equal votes: the cheaper project ranks first (more of the budget
    is used by what people chose), then the organiser's order. A project with no votes is never
    funded.
    """
    ordered = sorted(
        projects, key=lambda p: (-votes.get(p.pk, 0), p.estimated_cost, p.position, p.pk)
    )
    remaining = budget
    line_drawn = False
    outcomes = []
    for rank, project in enumerate(ordered, start=1):
        count = votes.get(project.pk, 0)
        fits = count > 0 and project.estimated_cost <= remaining
        starts_below = not fits and not line_drawn
        line_drawn = line_drawn or not fits
        if fits:
            remaining -= project.estimated_cost
        outcomes.append(
            Outcome(
                project_id=project.pk,
                rank=rank,
                votes=count,
                cost=project.estimated_cost,
                is_funded=fits,
                is_below_line_start=starts_below,
                is_below_line=line_drawn,
                remaining_after=remaining,
            )
        )
    return outcomes
