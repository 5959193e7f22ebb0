"""Importing experiments from JSON Lines or CSV: validate every row, then write all or nothing.

Columns (docs/import.md): title, summary, description, municipality (3-digit code), status,
outcome, themes (identifiers separated by commas or semicolons), start, end (YYYY-MM-DD),
language (fi/sv/en), results, lessons. An experiment is identified by its municipality and
title, so importing the same file again updates the rows instead of duplicating them.

Writing (issue 8): the rows are written in short transactions, so that the web and the API
never wait long for the database, and each transaction also records in ``ImportChange`` what
it created and the previous values of what it updated. A run that fails, is interrupted or is
terminated takes all of that back, so all or nothing still holds. One ``ImportRun`` row per
kind is the lock that refuses a second import; a run that stopped without ending (``kill -9``)
is taken over, and its changes taken back, once its heartbeat is ``STALE_AFTER`` old.
"""

import base64
import csv
import io
import json
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from digikunta.core import pagecache
from digikunta.experiments import lifecycle
from digikunta.experiments.models import (
    Experiment,
    ExperimentVector,
    ImportChange,
    ImportRun,
    ImportState,
    Outcome,
    Status,
    Transition,
)
from digikunta.experiments.search_text import experiment_index
from digikunta.experiments.services import experiment_import_row
from digikunta.experiments.similarity import language_means

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


# A transaction holds at most BATCH_ROWS rows and lasts about BATCH_SECONDS: the next batch's
# size follows the last one's speed, so other writers wait at most a fraction of a second
# (SQLite's busy_timeout is 5 s) however slow or fast a row is to write.
BATCH_ROWS = 200
BATCH_SECONDS = 0.2
FIRST_BATCH_ROWS = 10
# A running import's heartbeat moves after every batch; one this old has stopped.
STALE_AFTER = timedelta(minutes=10)
# What an update overwrites (experiment_import_row), kept to be put back.
RESTORED_FIELDS = [
    "summary",
    "description",
    "starts_on",
    "ends_on",
    "language",
    "results",
    "lessons",
    "outcome",
    "status",
    "updated_at",
]


class ImportBusy(Exception):
    """Another import of the same kind is running; nothing was written."""

    def __init__(self, run: ImportRun | None) -> None:
        if run is None:
            message = _("Another import is running. Wait until it ends and try again.")
        else:
            message = _(
                "Another import is running: %(file)s, started at %(started)s. Wait until it "
                "ends and try again; an import that stopped without ending is taken over "
                "after %(minutes)s minutes."
            ) % {
                "file": run.file_name or "-",
                "started": formats.date_format(
                    timezone.localtime(run.started_at), "SHORT_DATETIME_FORMAT"
                ),
                "minutes": int(STALE_AFTER.total_seconds() // 60),
            }
        super().__init__(message)


def _start(kind: str, file_name: str, stale_after: timedelta) -> ImportRun:
    """Take the lock of ``kind`` in one short transaction, taking over a stopped run."""
    try:
        with transaction.atomic():
            current = (
                ImportRun.objects.select_for_update()
                .filter(kind=kind, state=ImportState.RUNNING)
                .first()
            )
            if current is not None and current.heartbeat_at > timezone.now() - stale_after:
                raise ImportBusy(current)
            if current is not None:
                ImportRun.objects.filter(pk=current.pk).update(
                    state=ImportState.TAKEN_OVER, finished_at=timezone.now()
                )
            run = ImportRun.objects.create(kind=kind, file_name=file_name[:255], took_over=current)
            if current is not None:
                # Its journal becomes ours: if we stop too, the next run takes it back.
                ImportChange.objects.filter(run=current).update(run=run)
    except IntegrityError:  # another process took the lock between our read and our insert
        raise ImportBusy(
            ImportRun.objects.filter(kind=kind, state=ImportState.RUNNING).first()
        ) from None
    return run


def _finish(run: ImportRun, state: str) -> None:
    with transaction.atomic():
        ImportChange.objects.filter(run=run).delete()
        ImportRun.objects.filter(pk=run.pk).update(state=state, finished_at=timezone.now())


@contextmanager
def import_run(
    kind: str, *, file_name: str = "", stale_after: timedelta = STALE_AFTER
) -> Iterator[ImportRun]:
    """Hold the single-import lock of ``kind`` while the block writes; raises ImportBusy.

    If the block raises anything (KeyboardInterrupt included), what the run wrote is taken back
    before the exception goes on. A taken-over run's changes are taken back first.
    """
    run = _start(kind, file_name, stale_after)
    try:
        if run.took_over_id is not None:
            run_undo(run)
        yield run
    except BaseException:
        # If this fails too, the run stays "running" with its journal, and the next import
        # takes it back once it is stale.
        run_undo(run)
        _finish(run, ImportState.ROLLED_BACK)
        raise
    else:
        _finish(run, ImportState.DONE)


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Make SIGTERM (systemd, docker stop) stop the block like Ctrl-C, once: a second SIGTERM
    does not interrupt the taking back of what the run wrote."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []

    def interrupt(signum: int, frame: object) -> None:
        if not received:
            received.append(signum)
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _existing(rows: list[Row]) -> list[Experiment]:
    """The experiments the rows would update, locked until the batch commits (PostgreSQL)."""
    keys = {(row.data["municipality"], row.data["title"]) for row in rows}
    candidates = (
        Experiment.objects.select_for_update(of=("self",))
        .select_related("owner")
        .filter(
            owner__municipality_id__in={code for code, _t in keys},
            title__in={title for _c, title in keys},
        )
    )
    return [e for e in candidates if (e.owner.municipality_id, e.title) in keys]


def _snapshot(experiments: list[Experiment]) -> dict[int, dict[str, Any]]:
    """What an update may change, per experiment, as JSON: fields, themes, timeline, vector."""
    ids = [e.pk for e in experiments]
    themes: dict[int, list[int]] = defaultdict(list)
    through = Experiment.themes.through.objects.filter(experiment_id__in=ids)
    for experiment_id, theme_id in through.values_list("experiment_id", "theme_id"):
        themes[experiment_id].append(theme_id)
    transitions: dict[int, list[int]] = defaultdict(list)
    for experiment_id, pk in Transition.objects.filter(experiment_id__in=ids).values_list(
        "experiment_id", "pk"
    ):
        transitions[experiment_id].append(pk)
    vectors = {
        experiment_id: {"vector": base64.b64encode(bytes(vector)).decode(), "source_hash": digest}
        for experiment_id, vector, digest in ExperimentVector.objects.filter(
            experiment_id__in=ids
        ).values_list("experiment_id", "vector", "source_hash")
    }
    meta = Experiment._meta
    return {
        e.pk: {
            "fields": {
                name: None if getattr(e, name) is None else meta.get_field(name).value_to_string(e)
                for name in RESTORED_FIELDS
            },
            "themes": sorted(themes[e.pk]),
            "transitions": sorted(transitions[e.pk]),
            "vector": vectors.get(e.pk),
        }
        for e in experiments
    }


def _write_batch(run: ImportRun, rows: list[Row], journaled: set[int]) -> tuple[int, int]:
    """Write ``rows`` and their undo journal in one transaction; returns (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        before = _snapshot(_existing(rows))
        changes = []
        for row in rows:
            experiment, is_new = experiment_import_row(data=row.data)
            created += is_new
            updated += not is_new
            if experiment.pk in journaled:  # written earlier in this run: journaled then
                continue
            journaled.add(experiment.pk)
            changes.append(
                ImportChange(
                    run=run,
                    experiment=experiment,
                    is_created=is_new,
                    previous={} if is_new else before[experiment.pk],
                )
            )
        ImportChange.objects.bulk_create(changes)
        ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    return created, updated


def write_rows(
    rows: list[Row],
    *,
    run: ImportRun,
    max_batch_rows: int = BATCH_ROWS,
    after_batch: Callable[[int], object] | None = None,
) -> tuple[int, int]:
    """Write validated rows in short transactions under ``run``; returns (created, updated).

    Call it inside ``import_run``, which takes everything back if this raises. ``after_batch``
    gets the number of rows each committed batch wrote (the progress bar).
    """
    language_means()  # load the embedding model before the first transaction, not inside it
    journaled = set(run.changes.values_list("experiment_id", flat=True))
    created = updated = 0
    size = min(FIRST_BATCH_ROWS, max_batch_rows)
    start = 0
    while start < len(rows):
        batch = rows[start : start + size]
        began = time.monotonic()
        new, changed = _write_batch(run, batch, journaled)
        elapsed = time.monotonic() - began
        created, updated, start = created + new, updated + changed, start + len(batch)
        if after_batch is not None:
            after_batch(len(batch))
        size = max(1, min(max_batch_rows, int(len(batch) * BATCH_SECONDS / max(elapsed, 1e-6))))
    return created, updated


def _restore(experiment_id: int, previous: dict[str, Any]) -> None:
    meta = Experiment._meta
    fields = {
        name: None if value is None else meta.get_field(name).to_python(value)
        for name, value in previous["fields"].items()
    }
    # update(), not save(): updated_at goes back to its old value too.
    if not Experiment.objects.filter(pk=experiment_id).update(**fields):
        return
    experiment = Experiment.objects.get(pk=experiment_id)
    experiment.themes.set(previous["themes"])
    experiment.transitions.exclude(pk__in=previous["transitions"]).delete()
    vector = previous["vector"]
    if vector is None:
        ExperimentVector.objects.filter(experiment_id=experiment_id).delete()
    else:
        # A fresh updated_at: the similarity matrix cached in each process must reload.
        ExperimentVector.objects.update_or_create(
            experiment_id=experiment_id,
            defaults={
                "vector": base64.b64decode(vector["vector"]),
                "source_hash": vector["source_hash"],
            },
        )
    experiment_index(experiment)


def run_undo(run: ImportRun) -> int:
    """Take back what ``run`` wrote, newest first, in short transactions: delete the experiments
    it created (their timeline, vector and search entry go with them) and put back the previous
    values of those it updated. Returns how many experiments it took back. Safe to repeat: each
    transaction deletes the journal entries it undid."""
    undone = 0
    while changes := list(run.changes.order_by("-pk")[:BATCH_ROWS]):
        with transaction.atomic():
            for change in changes:
                if not change.is_created:
                    _restore(change.experiment_id, change.previous)
            ImportChange.objects.filter(pk__in=[c.pk for c in changes]).delete()
            Experiment.objects.filter(
                pk__in=[c.experiment_id for c in changes if c.is_created]
            ).delete()
            # update() sends no signal: the cached public pages must go all the same.
            transaction.on_commit(pagecache.invalidate, robust=True)
        undone += len(changes)
    return undone
