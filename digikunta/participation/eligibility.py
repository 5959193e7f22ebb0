"""Who may take part in a process: one interface, whatever vouches for the person.

A process lists the bases on which people take part (models.Basis). A person *stands* in a
process on one basis, for one municipality of its area, vouched for by a source. Today the only
source is the person's own declaration ("I declare that I live in Kuopio"), stored with the
statement they agreed to; a verified identity (Suomi.fi e-identification through OpenID
Connect, which tells the home municipality) can be added as another source in
``PARTICIPATION_STANDING_SOURCES`` without changing a caller: the services ask only
``standing(user, process)`` or ``eligibility_problem(user, process)``.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from digikunta.municipalities.models import Municipality
from digikunta.participation.models import Basis, Declaration, Process, ResidentProfile


@dataclass(frozen=True)
class Standing:
    """How a person stands in a process: on which basis, for which municipality, said by whom."""

    basis: str
    municipality_code: str | None
    source: str


class StandingSource(Protocol):
    def standings(self, user: Any, process: Process) -> list[Standing]: ...


class Declarations:
    """The person's own declaration for the process, if they made one."""

    def standings(self, user: Any, process: Process) -> list[Standing]:
        rows = Declaration.objects.filter(user=user, process=process)
        return [Standing(row.basis, row.municipality_id, row.source) for row in rows]


def sources() -> list[StandingSource]:
    paths = getattr(
        settings,
        "PARTICIPATION_STANDING_SOURCES",
        ["digikunta.participation.eligibility.Declarations"],
    )
    return [import_string(path)() for path in paths]


def _area_codes(process: Process) -> set[str]:
    return {municipality.code for municipality in process.area}


def is_valid(standing: Standing, process: Process) -> bool:
    """A standing counts when its basis is one the process accepts and, except for "anyone
    signed in", its municipality is in the process's area."""
    if standing.basis not in process.eligible_bases:
        return False
    return standing.basis == Basis.SIGNED_IN or standing.municipality_code in _area_codes(process)


def standing(user: Any, process: Process) -> Standing | None:
    """The person's standing in the process, or None when they may not take part (yet).
    Asked once per person and process instance: a page asks it more than once."""
    if not user.is_authenticated or not user.is_active:
        return None
    known: dict[int, Standing | None] = process.__dict__.setdefault("_standings", {})
    if user.pk not in known:
        known[user.pk] = _standing(user, process)
    return known[user.pk]


def forget(process: Process) -> None:
    """After a declaration: the next question reads the sources again."""
    process.__dict__.pop("_standings", None)


def _standing(user: Any, process: Process) -> Standing | None:
    for source in sources():
        for found in source.standings(user, process):
            if is_valid(found, process):
                return found
    if Basis.SIGNED_IN in process.eligible_bases:
        return Standing(Basis.SIGNED_IN, None, "signed_in")
    return None


def eligibility_problem(user: Any, process: Process) -> str | None:
    """Why the person may not take part, in their language; None when they may."""
    if not user.is_authenticated:
        return _("Sign in to take part.")
    if standing(user, process) is None:
        return _(
            "Only %(who)s may take part in this process. If you are one of them, declare it "
            "first on the process page."
        ) % {"who": who_may_take_part(process)}
    return None


def who_may_take_part(process: Process) -> str:
    """ "residents and summer residents of Kuopio", for the page and the messages."""
    names = {
        Basis.RESIDENT: _("residents"),
        Basis.SUMMER_RESIDENT: _("summer residents"),
        Basis.WORKS_OR_STUDIES: _("people who work or study"),
    }
    if Basis.SIGNED_IN in process.eligible_bases:
        return _("everyone signed in")
    kinds = [str(names[Basis(basis)]) for basis in process.eligible_bases if basis in names]
    area = ", ".join(m.name for m in process.area)
    joined = _(" and ").join([", ".join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds)
    return _("%(kinds)s in %(area)s") % {"kinds": joined, "area": area}


def statement(basis: str, municipality: Municipality | None) -> str:
    """The sentence a person agrees to, in their language."""
    name = municipality.name if municipality else ""
    if basis == Basis.RESIDENT:
        text = _("I declare that my home municipality is %(municipality)s.")
    elif basis == Basis.SUMMER_RESIDENT:
        text = _(
            "I declare that I am a summer resident of %(municipality)s: I have a holiday "
            "home there."
        )
    elif basis == Basis.WORKS_OR_STUDIES:
        text = _("I declare that I work or study in %(municipality)s.")
    else:
        return _("I take part as a signed-in user.")
    return (
        str(text) % {"municipality": name}
        + " "
        + _(
            "I understand that the organiser may check this and remove what I did on a false "
            "declaration."
        )
    )


def offered(user: Any, process: Process) -> list[tuple[str, Municipality]]:
    """The declarations the person's profile suggests first: their home municipality and
    summer municipalities that are in the process's area, on the bases it accepts."""
    profile = ResidentProfile.objects.filter(user=user).first() if user.is_authenticated else None
    if profile is None:
        return []
    area = _area_codes(process)
    found: list[tuple[str, Municipality]] = []
    home = profile.home_municipality
    if home and home.code in area and Basis.RESIDENT in process.eligible_bases:
        found.append((Basis.RESIDENT, home))
    if Basis.SUMMER_RESIDENT in process.eligible_bases:
        found += [
            (Basis.SUMMER_RESIDENT, m)
            for m in profile.summer_municipalities.order_by("name_fi")
            if m.code in area
        ]
    return found
