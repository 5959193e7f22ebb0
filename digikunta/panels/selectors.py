"""Reads of citizens' panels: the published list and draw, with its strata in words, and what
the viewer sees of a panel."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from digikunta.core.permissions import can
from digikunta.municipalities.models import Municipality
from digikunta.panels import draw
from digikunta.panels.models import (
    AgeBand,
    CitizensPanel,
    Gender,
    Language,
    Replacement,
    Trait,
    Volunteer,
    VolunteerStatus,
)
from digikunta.participation.models import Process

LABELS: dict[str, dict[str, Any]] = {
    Trait.AGE_BAND: dict(AgeBand.choices),
    Trait.LANGUAGE: dict(Language.choices),
    Trait.GENDER: dict(Gender.choices),
}


def panels_of(process: Process, user: Any) -> QuerySet[CitizensPanel]:
    """The process's panels the person may see, with their number of volunteers: drafts only
    for those who run the process."""
    panels = CitizensPanel.objects.filter(process=process).annotate(
        volunteer_count=Count("volunteers")
    )
    return panels if can(user, "change", process) else panels.public()


def stratum(panel: CitizensPanel, volunteer: Volunteer) -> str:
    """The volunteer's stratum key as draw.py reads it from the published list."""
    return draw.stratum_of(volunteer.trait_value(trait) for trait in panel.traits)


def draw_volunteers(panel: CitizensPanel, rows: Iterable[Volunteer]) -> list[draw.Volunteer]:
    """The published list as the draw takes it, in the order of the codes."""
    people = [draw.Volunteer(row.code, stratum(panel, row)) for row in rows]
    return sorted(people, key=lambda person: person.code)


def published_rows(panel: CitizensPanel) -> list[dict[str, str]]:
    """The published list of volunteers: each one's code and the traits the panel is
    stratified by, as codes (the municipality by its number), never a name."""
    rows = panel.volunteers.order_by("code").only("panel", "code", *_trait_fields(panel))
    return [
        {"code": row.code} | {trait: row.trait_value(trait) for trait in panel.traits}
        for row in rows
    ]


def _trait_fields(panel: CitizensPanel) -> list[str]:
    return [str(trait) for trait in panel.traits]


def published_fields(panel: CitizensPanel) -> list[str]:
    return [draw.CODE_COLUMN, *panel.traits]


class StrataLabels:
    """Strata in words, in the reader's language: "45–64 years, Kuopio, Finnish"."""

    def __init__(self, panel: CitizensPanel, keys: Iterable[str]) -> None:
        self.traits = panel.traits
        codes: set[str] = set()
        if Trait.AREA in self.traits:
            index = self.traits.index(Trait.AREA)
            codes = {key.split(draw.SEPARATOR)[index] for key in keys}
        self.municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}

    def values(self, key: str) -> list[str]:
        if not self.traits:
            return []
        parts = key.split(draw.SEPARATOR)
        words = []
        for trait, value in zip(self.traits, parts, strict=True):
            if trait == Trait.AREA:
                municipality = self.municipalities.get(value)
                words.append(municipality.name if municipality else value)
            else:
                words.append(str(LABELS[trait].get(value, value)))
        return words

    def __call__(self, key: str) -> str:
        return ", ".join(self.values(key)) or "–"


@dataclass(frozen=True)
class StratumRow:
    key: str
    values: list[str]
    label: str
    size: int
    share: float
    quota: int
    members: Sequence[str]
    reserve: Sequence[str]


@dataclass(frozen=True)
class MemberRow:
    code: str
    label: str
    status: str
    status_label: str
    is_replacement: bool


@dataclass(frozen=True)
class HistoryRow:
    number: int
    left: str
    reason: str
    drawn: str | None
    same_stratum: bool
    drawn_label: str
    at: Any


@dataclass(frozen=True)
class PublishedDraw:
    """The draw as the page, the API and the verification show it."""

    panel: CitizensPanel
    result: draw.Draw
    seating: draw.Seating
    strata: list[StratumRow]
    members: list[MemberRow]
    history: list[HistoryRow]

    @property
    def left_codes(self) -> list[str]:
        return [row.left for row in self.history]


def published_draw(panel: CitizensPanel) -> PublishedDraw | None:
    """The panel's draw re-run from its published inputs, with the statuses and the history of
    replacements; None before the draw. Three queries."""
    if not panel.is_drawn:
        return None
    rows = list(panel.volunteers.all())
    history = list(
        Replacement.objects.filter(panel=panel).select_related("left", "drawn").order_by("number")
    )
    result = draw.draw(panel.seed, draw_volunteers(panel, rows), panel.seats)
    seating = draw.replay(result, [replacement.left.code for replacement in history])
    labels = StrataLabels(panel, [s.key for s in result.strata])
    status = {row.code: row.status for row in rows}
    strata = [
        StratumRow(
            key=s.key,
            values=labels.values(s.key),
            label=labels(s.key),
            size=s.size,
            share=result.share(s),
            quota=s.quota,
            members=s.members,
            reserve=s.reserve,
        )
        for s in result.strata
    ]
    stratum_of = {code: s.key for s in result.strata for code in s.order}
    drawn_later = {r.drawn for r in seating.replacements if r.drawn}
    members = [
        MemberRow(
            code=code,
            label=labels(stratum_of[code]),
            status=status[code],
            status_label=str(VolunteerStatus(status[code]).label),
            is_replacement=code in drawn_later,
        )
        for code in [*result.members, *(r.drawn for r in seating.replacements if r.drawn)]
    ]
    lines = [
        HistoryRow(
            number=stored.number,
            left=computed.left,
            reason=stored.reason,
            drawn=computed.drawn,
            same_stratum=computed.same_stratum,
            drawn_label=labels(computed.drawn_stratum) if computed.drawn_stratum else "",
            at=stored.at,
        )
        for stored, computed in zip(history, seating.replacements, strict=True)
    ]
    return PublishedDraw(panel, result, seating, strata, members, lines)


def volunteer_counts(panel: CitizensPanel) -> list[tuple[str, int]]:
    """How many volunteers each stratum has so far, in words: what the organiser watches
    while registration is open (is any group missing?)."""
    rows = list(panel.volunteers.only("panel", "code", *_trait_fields(panel)))
    counts = Counter(stratum(panel, row) for row in rows)
    labels = StrataLabels(panel, counts)
    return [(labels(key), count) for key, count in sorted(counts.items())]


def own_volunteer(user: Any, panel: CitizensPanel) -> Volunteer | None:
    if not user.is_authenticated:
        return None
    return Volunteer.objects.filter(panel=panel, user=user).select_related("area").first()


def seated_people(panel: CitizensPanel) -> list[Volunteer]:
    """Those who hold or held a seat, with their accounts: the organiser needs to reach the
    invited and the accepted members (and no one else's name is shown to them)."""
    return list(
        panel.volunteers.exclude(status__in=[VolunteerStatus.REGISTERED, VolunteerStatus.RESERVE])
        .select_related("user")
        .order_by("invited_at", "code")
    )
