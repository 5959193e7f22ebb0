"""API: a citizens' panel's published draw as open data (docs/panels.md): the seed, the
strata with their quotas, the drawn codes in order, the replacements and the published list.
No names, ever: the same data as the draw page and its CSV."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from digikunta.api.auth import viewer
from digikunta.panels import selectors
from digikunta.panels.access import get_panel_for_user_or_404

router = Router()


class StratumOut(Schema):
    stratum: str = Field(description="The traits' values joined by |, as draw.py reads them.")
    values: list[str] = Field(description="The same values in words, in the request's language.")
    volunteers: int
    share: float = Field(description="Seats × volunteers of the stratum ÷ all volunteers.")
    quota: int
    drawn: list[str]
    reserve: list[str]


class ReplacementOut(Schema):
    number: int
    left: str
    reason: str
    drawn: str | None
    same_stratum: bool
    at: datetime


class VolunteerOut(Schema):
    code: str
    stratum: str


class DrawOut(Schema):
    panel: int
    title: str
    seed: str
    seats: int
    stratified_by: list[str]
    drawn_at: datetime | None
    strata: list[StratumOut]
    drawn: list[str] = Field(description="The first draw's members, stratum by stratum.")
    replacements: list[ReplacementOut]
    seated: list[str] = Field(description="Who holds the seats after the replacements.")
    volunteers: list[VolunteerOut]
    volunteers_csv: str
    program: str


@router.get("/{int:panel_id}/draw", response=DrawOut, url_name="panel_draw")
def panel_draw(request: HttpRequest, panel_id: int) -> DrawOut:
    """The published draw of a panel; 404 until it has been drawn."""
    panel = get_panel_for_user_or_404(viewer(request), panel_id)
    published = selectors.published_draw(panel)
    if published is None:
        raise Http404
    result = published.result
    return DrawOut(
        panel=panel.pk,
        title=panel.localized_title,
        seed=panel.seed,
        seats=panel.seats,
        stratified_by=[str(trait) for trait in panel.traits],
        drawn_at=panel.drawn_at,
        strata=[
            StratumOut(
                stratum=row.key,
                values=row.values,
                volunteers=row.size,
                share=round(row.share, 6),
                quota=row.quota,
                drawn=list(row.members),
                reserve=list(row.reserve),
            )
            for row in published.strata
        ],
        drawn=result.members,
        replacements=[
            ReplacementOut(
                number=line.number,
                left=line.left,
                reason=line.reason,
                drawn=line.drawn,
                same_stratum=line.same_stratum,
                at=line.at,
            )
            for line in published.history
        ],
        seated=published.seating.seated,
        volunteers=sorted(
            (
                VolunteerOut(code=code, stratum=stratum.key)
                for stratum in result.strata
                for code in stratum.order
            ),
            key=lambda volunteer: volunteer.code,
        ),
        volunteers_csv=request.build_absolute_uri(
            reverse("panels:volunteers_csv", args=[panel.pk])
        ),
        program=request.build_absolute_uri(reverse("panels:draw_source")),
    )
