"""API: a process's budget and projects, casting or changing one's own ballot with a token,
checking a receipt code, and the results as open data once voting has closed.

No operation returns anyone's ballot but the token owner's own, and none returns who cast a
ballot: the receipt check answers only whether it is counted and when (ADR 0021).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from digikunta.api.auth import TokenRequest, token_auth, viewer
from digikunta.api.types import Id, Slug
from digikunta.budgeting import selectors, services, voting
from digikunta.budgeting.access import get_process_for_user_or_404
from digikunta.budgeting.models import Ballot, BudgetArea, Project
from digikunta.participation.models import Process

router = Router()  # /processes
ballots_router = Router()  # /ballots

Receipt = Annotated[str, Path(max_length=40, description="The code on the receipt.")]


class ProjectOut(Schema):
    id: int
    title: str
    title_sv: str
    description_html: str = Field(description="Sanitised HTML of the Finnish description.")
    description_sv_html: str
    estimated_cost: Decimal = Field(description="Checked by the municipality, in euros.")
    idea: int | None = Field(alias="idea_id", description="The idea it comes from.")


class AreaOut(Schema):
    id: int
    name: str
    name_sv: str
    budget: Decimal
    municipalities: list[str] = Field(description="Codes; empty: open to the whole process.")
    projects: list[ProjectOut] = Field(description="Those on the ballot (cost checked).")

    @staticmethod
    def resolve_municipalities(obj: BudgetArea) -> list[str]:
        return sorted(m.code for m in obj.municipalities.all())

    @staticmethod
    def resolve_projects(obj: BudgetArea) -> list[Project]:
        return list(obj.projects.all())


class BudgetOut(Schema):
    process: str
    voting_opens_on: date | None
    voting_closes_on: date | None
    voting_open: bool
    results_published: bool
    areas: list[AreaOut]


def _process(request: HttpRequest, slug: str) -> Process:
    return get_process_for_user_or_404(viewer(request), slug=slug)


@router.get("/{slug}/budget", response=BudgetOut, url_name="budget")
def budget(request: HttpRequest, slug: Slug) -> dict[str, object]:
    """The areas with their budgets and the projects on the ballot."""
    process = _process(request, slug)
    state = selectors.voting_state(process)
    return {
        "process": process.slug,
        "voting_opens_on": state.opens_on,
        "voting_closes_on": state.closes_on,
        "voting_open": state.is_open,
        "results_published": state.has_closed,
        "areas": selectors.areas_of(process),
    }


class BallotIn(Schema):
    projects: list[Id] = Field(
        max_length=voting.MAX_CHOICES, description="Ids of the chosen projects, each once."
    )
    area: Id | None = Field(
        None, description="The area you vote in, when you may vote in more than one."
    )


class BallotOut(Schema):
    process: str
    area: int
    projects: list[int]
    total: Decimal
    remaining: Decimal
    summary: str = Field(description='"You chose 3 projects for 18 500 €; 1 500 € remains."')
    cast_at: datetime
    changed_at: datetime | None
    receipt_code: str | None = Field(
        None, description="Only in the answer to the first cast: write it down."
    )


def _ballot_out(process: Process, ballot: Ballot, code: str | None = None) -> dict[str, object]:
    on_ballot = selectors.ballot_projects(ballot.area)
    chosen = [on_ballot[pk] for pk in ballot.choices if pk in on_ballot]
    tally = voting.tally(chosen, ballot.area.budget)
    return {
        "process": process.slug,
        "area": ballot.area_id,
        "projects": list(ballot.choices),
        "total": tally.total,
        "remaining": tally.remaining,
        "summary": tally.summary(),
        "cast_at": ballot.cast_at,
        "changed_at": ballot.changed_at,
        "receipt_code": code,
    }


@router.put(
    "/{slug}/ballot",
    response={200: BallotOut, 201: BallotOut},
    auth=token_auth,
    url_name="ballot_cast",
)
def ballot_cast(
    request: TokenRequest, slug: Slug, payload: BallotIn
) -> HttpStatus[dict[str, object]]:
    """Cast your ballot (201, with the receipt code) or change it (200) while voting is open.
    Over the budget, outside the voting phase or without a standing in the process: 422."""
    process = get_process_for_user_or_404(request.auth, slug=slug)
    cast = services.ballot_cast(
        voter=request.auth, process=process, project_ids=payload.projects, area_id=payload.area
    )
    body = _ballot_out(process, cast.ballot, cast.receipt_code)
    return HttpStatus(201 if cast.is_new else 200, body)


@router.get("/{slug}/ballot", response=BallotOut, auth=token_auth, url_name="ballot_own")
def ballot_own(request: TokenRequest, slug: Slug) -> dict[str, object]:
    """Your own ballot in the process (404 if you have not voted); nobody else's, ever."""
    process = get_process_for_user_or_404(request.auth, slug=slug)
    own = selectors.own_ballot(request.auth, process)
    if own is None:
        raise Http404
    return _ballot_out(process, own)


class ReceiptOut(Schema):
    counted: bool
    process: str
    cast_at: datetime
    changed_at: datetime | None


@ballots_router.get("/{receipt}", response=ReceiptOut, url_name="ballot_check")
def ballot_check(request: HttpRequest, receipt: Receipt) -> dict[str, object]:
    """Whether the ballot with this receipt code is counted, and when it was cast and changed:
    never what it holds or whose it is. 404 for a code that no ballot has."""
    found = selectors.ballot_by_receipt(receipt)
    if found is None:
        raise Http404
    return {
        "counted": True,
        "process": found.process.slug,
        "cast_at": found.cast_at,
        "changed_at": found.changed_at,
    }


class ResultProjectOut(Schema):
    rank: int
    id: int
    title: str
    title_sv: str
    estimated_cost: Decimal
    votes: int
    funded: bool


class AreaResultOut(Schema):
    id: int
    name: str
    name_sv: str
    budget: Decimal
    funded_total: Decimal
    remaining: Decimal
    ballots: int
    projects: list[ResultProjectOut] = Field(description="Ranked by votes.")


class TurnoutAreaOut(Schema):
    area: int
    ballots: int
    population: int | None = Field(description="Inhabitants of all ages (Statistics Finland).")


class TurnoutBasisOut(Schema):
    basis: str = Field(description="resident, summer_resident, works_or_studies or signed_in.")
    ballots: int


class TurnoutOut(Schema):
    ballots: int
    by_area: list[TurnoutAreaOut]
    by_basis: list[TurnoutBasisOut]


class ResultsOut(Schema):
    process: str
    voting_closed_on: date | None
    rule: str = Field(description="How the funded line is drawn.")
    areas: list[AreaResultOut]
    turnout: TurnoutOut


@router.get("/{slug}/results", response=ResultsOut, url_name="results")
def results(request: HttpRequest, slug: Slug) -> dict[str, object]:
    """Votes per project, the projects funded and turnout, as open data: only after voting has
    closed (403 before)."""
    process = _process(request, slug)
    state = selectors.voting_state(process)
    if not state.has_closed:
        when = state.closes_on
        raise HttpError(
            403,
            _("The results are published when voting closes on %(date)s.")
            % {"date": date_format(when, "SHORT_DATE_FORMAT")}
            if when
            else _("The results are published when voting has closed."),
        )
    counted = selectors.counts(process, state)
    found = selectors.results(process, counted)
    turnout = selectors.turnout(process, [r.area for r in found], counted)
    return {
        "process": process.slug,
        "voting_closed_on": state.closes_on,
        "rule": "rank_order_skip_what_does_not_fit",
        "areas": [
            {
                "id": r.area.pk,
                "name": r.area.name,
                "name_sv": r.area.name_sv,
                "budget": r.area.budget,
                "funded_total": r.spent,
                "remaining": r.remaining,
                "ballots": r.ballots,
                "projects": [
                    {
                        "rank": o.rank,
                        "id": p.pk,
                        "title": p.title,
                        "title_sv": p.title_sv,
                        "estimated_cost": p.estimated_cost,
                        "votes": o.votes,
                        "funded": o.is_funded,
                    }
                    for p, o in r.rows
                ],
            }
            for r in found
        ],
        "turnout": {
            "ballots": turnout.ballots,
            "by_area": [
                {"area": int(row.key), "ballots": row.ballots, "population": row.population}
                for row in turnout.by_area
            ],
            "by_basis": [{"basis": row.key, "ballots": row.ballots} for row in turnout.by_basis],
        },
    }
