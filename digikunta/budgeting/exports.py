"""The results as open data (issue 11: "published as open data"): the same rows for the CSV,
Excel and JSON downloads and the API. Only aggregates: votes per project and ballots per area
and per eligibility kind, never a ballot."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from digikunta.budgeting import selectors
from digikunta.participation.models import Process

Row = dict[str, Any]

RESULT_FIELDS = [
    "area",
    "area_sv",
    "area_budget",
    "rank",
    "project_id",
    "title",
    "title_sv",
    "estimated_cost",
    "votes",
    "funded",
]
TURNOUT_FIELDS = ["grouping", "area", "basis", "ballots", "share_of_ballots", "population"]


def result_rows(process: Process) -> tuple[list[Row], list[str]]:
    rows = []
    for found in selectors.results(process):
        for project, outcome in found.rows:
            rows.append(
                {
                    "area": found.area.name,
                    "area_sv": found.area.name_sv,
                    "area_budget": found.area.budget,
                    "rank": outcome.rank,
                    "project_id": project.pk,
                    "title": project.title,
                    "title_sv": project.title_sv,
                    "estimated_cost": project.estimated_cost,
                    "votes": outcome.votes,
                    "funded": outcome.is_funded,
                }
            )
    return rows, RESULT_FIELDS


def turnout_rows(process: Process) -> tuple[list[Row], list[str]]:
    areas = selectors.areas_of(process)
    turnout = selectors.turnout(process, areas)
    rows: list[Row] = []
    for area, row in zip(areas, turnout.by_area, strict=True):
        rows.append(
            {
                "grouping": "area",
                "area": area.name,
                "basis": "",
                "ballots": row.ballots,
                "share_of_ballots": _rounded(row.share),
                "population": row.population,
            }
        )
    for row in turnout.by_basis:
        rows.append(
            {
                "grouping": "basis",
                "area": "",
                "basis": row.key,
                "ballots": row.ballots,
                "share_of_ballots": _rounded(row.share),
                "population": None,
            }
        )
    return rows, TURNOUT_FIELDS


def _rounded(value: Any) -> Any:
    return None if value is None else round(value, 1)


TABLES: dict[str, Callable[[Process], tuple[list[Row], list[str]]]] = {
    "results": result_rows,
    "turnout": turnout_rows,
}


def sheet_name(table: str) -> str:
    return _("Results") if table == "results" else _("Turnout")
