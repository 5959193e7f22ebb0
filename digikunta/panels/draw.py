"""The citizens' panel's draw by stratified lot (kuntaraati, issue 11), as pure functions of
three published things: the seed, the list of volunteers (public codes and strata) and the
number of seats. Only the Python standard library, no database: anyone can run this very file
on the published CSV and get the same panel (docs/panels.md, docs/decisions/0022).

    python3 draw.py --seed SEED --volunteers volunteers.csv --seats 24 [--left V-3F7K,V-9QX2]

The rules, in this order:

1. A volunteer's *stratum* is their values in the list's columns after ``code`` (the age band,
   municipality code, language and gender the panel stratifies by, in that order), joined by
   ``|``: ``45-64|297|fi``. A panel that stratifies by nothing has one stratum, ``""``.
2. A *lot number* is the SHA-256 digest, in hexadecimal, of the UTF-8 text ``SEED:TEXT``: a
   volunteer's of ``SEED:CODE``, a stratum's of ``SEED:STRATUM``. The smaller comes first.
3. Quotas (Hamilton's largest-remainder method): a stratum's exact share of the seats is
   seats × its volunteers ÷ all volunteers. Each stratum gets the whole part of its share;
   the seats left over go one each to the strata with the largest remainders, equal
   remainders in the order of the strata's lot numbers. With no more volunteers than seats,
   everyone is drawn.
4. Within a stratum the volunteers go in the order of their lot numbers: the first *quota* of
   them are drawn, the others are the stratum's reserve list, in that order.
5. Replacements, in the order the published history gives: when someone drawn declines, does
   not answer in time or cannot be reached, the next on the reserve list of their stratum is
   drawn. When that list is used up, the seat moves to the stratum that falls furthest below
   its exact share (share − seats it holds) among those with a reserve left, equal ones in
   the order of their lot numbers. When no stratum has a reserve left, the seat stays empty.
"""

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SEPARATOR = "|"
CODE_COLUMN = "code"


def lot(seed: str, text: str) -> str:
    """The lot number of ``text`` (a code or a stratum) under ``seed``: smaller comes first."""
    return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()


def stratum_of(values: Iterable[str]) -> str:
    return SEPARATOR.join(values)


@dataclass(frozen=True)
class Volunteer:
    code: str
    stratum: str


@dataclass(frozen=True)
class Stratum:
    key: str
    size: int
    quota: int
    # Every volunteer of the stratum in lot order: the first ``quota`` are drawn.
    order: tuple[str, ...]

    @property
    def members(self) -> tuple[str, ...]:
        return self.order[: self.quota]

    @property
    def reserve(self) -> tuple[str, ...]:
        return self.order[self.quota :]


@dataclass(frozen=True)
class Draw:
    seed: str
    seats: int
    total: int
    strata: tuple[Stratum, ...]  # in the order of their keys

    @property
    def members(self) -> list[str]:
        """The drawn, stratum by stratum, each stratum in lot order."""
        return [code for stratum in self.strata for code in stratum.members]

    def share(self, stratum: Stratum) -> float:
        """The stratum's exact share of the seats (for showing; the rules compare integers)."""
        return self.seats * stratum.size / self.total if self.total else 0.0


@dataclass(frozen=True)
class Replacement:
    """Who left a seat (``left``, of ``stratum``) and who was drawn for it (``drawn``, of
    ``drawn_stratum``); both ``None`` for a seat left empty."""

    left: str
    stratum: str
    drawn: str | None
    drawn_stratum: str | None

    @property
    def same_stratum(self) -> bool:
        return self.drawn is not None and self.drawn_stratum == self.stratum


@dataclass
class Seating:
    """Where a draw stands after its replacements: who holds the seats."""

    draw: Draw
    replacements: list[Replacement] = field(default_factory=list)

    @property
    def seated(self) -> list[str]:
        left = {replacement.left for replacement in self.replacements}
        drawn = [r.drawn for r in self.replacements if r.drawn is not None]
        return [code for code in self.draw.members + drawn if code not in left]


def quotas(sizes: Mapping[str, int], seats: int, seed: str) -> dict[str, int]:
    """Seats per stratum by Hamilton's method (rule 3), in exact integer arithmetic."""
    if seats < 1:
        raise ValueError("a panel has at least one seat")
    total = sum(sizes.values())
    if seats >= total:
        return dict(sizes)
    result = {key: seats * size // total for key, size in sizes.items()}
    left_over = seats - sum(result.values())
    # The remainder of seats × size ÷ total, as the integer (seats × size) mod total.
    by_remainder = sorted(sizes, key=lambda key: (-(seats * sizes[key] % total), lot(seed, key)))
    for key in by_remainder[:left_over]:
        result[key] += 1
    return result


def draw(seed: str, volunteers: Iterable[Volunteer], seats: int) -> Draw:
    """The panel drawn from ``volunteers`` under ``seed`` (rules 1–4)."""
    if not seed:
        raise ValueError("the seed is empty")
    by_stratum: dict[str, list[str]] = {}
    seen: set[str] = set()
    for volunteer in volunteers:
        if volunteer.code in seen:
            raise ValueError(f"the code {volunteer.code} appears twice")
        seen.add(volunteer.code)
        by_stratum.setdefault(volunteer.stratum, []).append(volunteer.code)
    sizes = {key: len(codes) for key, codes in by_stratum.items()}
    quota = quotas(sizes, seats, seed)
    strata = tuple(
        Stratum(
            key=key,
            size=sizes[key],
            quota=quota[key],
            order=tuple(sorted(codes, key=lambda code: (lot(seed, code), code))),
        )
        for key, codes in sorted(by_stratum.items())
    )
    return Draw(seed=seed, seats=seats, total=len(seen), strata=strata)


def replay(drawn: Draw, left: Sequence[str]) -> Seating:
    """The replacements for the seats left, in order (rule 5). Each code in ``left`` must hold
    a seat when it leaves: one drawn at first, or drawn as a replacement before it."""
    strata = {stratum.key: stratum for stratum in drawn.strata}
    stratum_of_code = {code: stratum.key for stratum in drawn.strata for code in stratum.order}
    held = {key: stratum.quota for key, stratum in strata.items()}  # seats each stratum holds
    called = dict(held)  # how far down its order each stratum has been drawn
    seated = set(drawn.members)
    seating = Seating(drawn)
    for code in left:
        if code not in seated:
            raise ValueError(f"{code} does not hold a seat")
        seated.remove(code)
        key = stratum_of_code[code]
        target: str | None = key
        if called[key] >= strata[key].size:
            held[key] -= 1
            target = _furthest_below_share(drawn, held, called)
            if target is not None:
                held[target] += 1
        code_drawn = None
        if target is not None:
            code_drawn = strata[target].order[called[target]]
            called[target] += 1
            seated.add(code_drawn)
        seating.replacements.append(Replacement(code, key, code_drawn, target))
    return seating


def _furthest_below_share(drawn: Draw, held: dict[str, int], called: dict[str, int]) -> str | None:
    """The stratum with a reserve left whose seats fall furthest below its exact share; the
    share's shortfall times the number of volunteers is seats × size − volunteers × held."""
    candidates = [stratum for stratum in drawn.strata if called[stratum.key] < stratum.size]
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda s: (
            -(drawn.seats * s.size - drawn.total * held[s.key]),
            lot(drawn.seed, s.key),
        ),
    )
    return best.key


# --- Verifying a published draw from the command line ----------------------------------------


def read_volunteers(lines: Iterable[str]) -> list[Volunteer]:
    """The published CSV: a ``code`` column first, then one column per stratifying trait."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header or header[0].strip() != CODE_COLUMN:
        raise ValueError(f"the first column must be {CODE_COLUMN!r}")
    return [
        Volunteer(code=row[0].strip(), stratum=stratum_of(value.strip() for value in row[1:]))
        for row in reader
        if row and row[0].strip()
    ]


def report(seating: Seating) -> str:
    """The draw as text: quotas, the drawn, the reserve lists and the replacements."""
    drawn = seating.draw
    lines = [
        f"Seed: {drawn.seed}",
        f"Seats: {drawn.seats}; volunteers: {drawn.total}; strata: {len(drawn.strata)}",
        "",
        "Stratum\tVolunteers\tShare\tQuota",
    ]
    for stratum in drawn.strata:
        share = f"{drawn.share(stratum):.3f}"
        lines.append(f"{stratum.key or '-'}\t{stratum.size}\t{share}\t{stratum.quota}")
    lines += ["", "Drawn:"]
    lines += [f"{code}\t{stratum.key}" for stratum in drawn.strata for code in stratum.members]
    lines += ["", "Reserve lists:"]
    lines += [f"{stratum.key or '-'}: {', '.join(stratum.reserve)}" for stratum in drawn.strata]
    if seating.replacements:
        lines += ["", "Replacements:"]
        for replacement in seating.replacements:
            if replacement.drawn is None:
                lines.append(f"{replacement.left} left; no reserve left, the seat stays empty")
            else:
                where = "the same stratum" if replacement.same_stratum else "another stratum"
                lines.append(
                    f"{replacement.left} left; {replacement.drawn} drawn from {where} "
                    f"({replacement.drawn_stratum})"
                )
        lines += ["", "Seated now:", ", ".join(seating.seated)]
    return "\n".join(lines) + "\n"


def as_json(seating: Seating) -> str:
    drawn = seating.draw
    return json.dumps(
        {
            "seed": drawn.seed,
            "seats": drawn.seats,
            "volunteers": drawn.total,
            "strata": [
                {
                    "stratum": s.key,
                    "volunteers": s.size,
                    "quota": s.quota,
                    "drawn": list(s.members),
                    "reserve": list(s.reserve),
                }
                for s in drawn.strata
            ],
            "drawn": drawn.members,
            "replacements": [
                {"left": r.left, "drawn": r.drawn, "stratum": r.drawn_stratum}
                for r in seating.replacements
            ],
            "seated": seating.seated,
        },
        indent=2,
        ensure_ascii=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Re-run a Digikunta citizens' panel draw from its published volunteer list."
    )
    parser.add_argument("--seed", required=True, help="the published seed, exactly as shown")
    parser.add_argument("--volunteers", required=True, help="the published volunteers.csv")
    parser.add_argument("--seats", required=True, type=int, help="the number of seats")
    parser.add_argument(
        "--left",
        default="",
        help="the codes that left their seats, comma-separated, in the published order",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    try:
        with open(args.volunteers, encoding="utf-8-sig", newline="") as file:
            volunteers = read_volunteers(file)
        left = [code.strip() for code in args.left.split(",") if code.strip()]
        seating = replay(draw(args.seed, volunteers, args.seats), left)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    sys.stdout.write(as_json(seating) + "\n" if args.json else report(seating))
    return 0


if __name__ == "__main__":
    sys.exit(main())
