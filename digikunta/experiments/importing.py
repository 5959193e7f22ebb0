"""Importing experiments from JSON Lines or CSV: validate every row, then write all or nothing.

Columns (docs/import.md): title, summary, description, municipality (3-digit code), status,
outcome, themes (identifiers separated by commas or semicolons), start, end (YYYY-MM-DD),
language (fi/sv/en), results, lessons. An experiment is identified by its municipality and
title, so importing the same file again updates the rows instead of duplicating them.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from digikunta.experiments import lifecycle
from digikunta.experiments.models import Outcome, Status

COLUMNS = [
    "title",
    "summary",
    "description",
    "municipality",
    "status",
    "outcome",
    "themes",
    "start",
    "end",
    "language",
    "results",
    "lessons",
]
REQUIRED = ["title", "summary", "municipality"]


@dataclass
class Row:
    line: int
    data: dict[str, Any]
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, raw row) from a .jsonl/.json-lines or .csv file; a bad line is an error row."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, {"__error__": _("not valid JSON (%(error)s)") % {"error": error.msg}}
                continue
            yield (
                number,
                value if isinstance(value, dict) else {"__error__": _("not a JSON object")},
            )
    else:
        reader = csv.DictReader(io.StringIO(text))
        unknown = sorted(set(reader.fieldnames or []) - set(COLUMNS))
        if unknown:
            yield (
                1,
                {"__error__": _("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)}},
            )
        for row in reader:
            yield reader.line_num, row


def _parse_date(value: str, name: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(
            _("%(column)s: write the date as YYYY-MM-DD, e.g. 2026-03-31.") % {"column": name}
        )
        return None


def validate(line: int, raw: dict[str, Any], *, municipalities: set[str], themes: set[str]) -> Row:
    """Check one row against the reference data and the lifecycle rules; nothing is written."""
    if "__error__" in raw:
        return Row(line, {}, [raw["__error__"]])
    values = {key: ("" if raw.get(key) is None else str(raw.get(key)).strip()) for key in COLUMNS}
    errors: list[str] = []
    for name in REQUIRED:
        if not values[name]:
            errors.append(_("%(column)s: this column is required.") % {"column": name})
    if len(values["title"]) > 200:
        errors.append(_("title: use at most 200 characters."))
    if len(values["summary"]) > 600:
        errors.append(_("summary: use at most 600 characters."))
    code = (
        values["municipality"].zfill(3)
        if values["municipality"].isdigit()
        else values["municipality"]
    )
    if values["municipality"] and code not in municipalities:
        errors.append(
            _("municipality: no municipality has the code %(code)s.")
            % {"code": values["municipality"]}
        )
    status = values["status"] or Status.IDEA
    if status not in Status.values:
        errors.append(_("status: use one of %(choices)s.") % {"choices": ", ".join(Status.values)})
    outcome = values["outcome"]
    if outcome and outcome not in Outcome.values:
        errors.append(
            _("outcome: use one of %(choices)s.") % {"choices": ", ".join(Outcome.values)}
        )
    theme_slugs = [t.strip() for t in values["themes"].replace(";", ",").split(",") if t.strip()]
    unknown = sorted(set(theme_slugs) - themes)
    if unknown:
        errors.append(_("themes: unknown theme %(themes)s.") % {"themes": ", ".join(unknown)})
    language = values["language"] or "fi"
    if language not in {"fi", "sv", "en"}:
        errors.append(_("language: use fi, sv or en."))
    starts, ends = (
        _parse_date(values["start"], "start", errors),
        _parse_date(values["end"], "end", errors),
    )
    if starts and ends and ends < starts:
        errors.append(_("end: the end date is before the start date."))
    if status in Status.values:
        # The row must be able to stand at its stage: ended needs results and outcome, etc.
        reached = lifecycle.ORDER.index(status)
        state = lifecycle.State(
            status="running", results=values["results"], outcome=outcome, lessons=values["lessons"]
        )
        if reached >= lifecycle.ORDER.index(lifecycle.ENDED):
            errors += [
                f"{k}: {m}" for k, m in lifecycle.transition_errors(state, lifecycle.ENDED).items()
            ]
        if reached >= lifecycle.ORDER.index(lifecycle.EVALUATED) and not values["lessons"]:
            errors.append(
                "lessons: "
                + lifecycle.transition_errors(
                    lifecycle.State(status="ended", results="x", outcome="partly"),
                    lifecycle.EVALUATED,
                )["lessons"]
            )
    data = {
        "title": values["title"],
        "summary": values["summary"],
        "description": values["description"],
        "municipality": code,
        "status": status,
        "outcome": outcome,
        "themes": theme_slugs,
        "starts_on": starts,
        "ends_on": ends,
        "language": language,
        "results": values["results"],
        "lessons": values["lessons"],
    }
    return Row(line, data, errors)
