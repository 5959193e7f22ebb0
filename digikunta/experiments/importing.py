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
import functools
import io
import json
import operator
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from digikunta.core import pagecache
from digikunta.core.rows import column_field
from digikunta.core.slugs import RESERVED
from digikunta.experiments import lifecycle
from digikunta.experiments.models import (
    Experiment,
    ExperimentVector,
    ImportChange,
    ImportRun,
    ImportState,
    Outcome,
    Status,
    Theme,
    Transition,
    Visibility,
)
from digikunta.experiments.search_text import experiment_text
from digikunta.experiments.similarity import enqueue_embeddings
from digikunta.organisations.models import Organisation
from digikunta.search.services import index_many

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


def validate(
    line: int,
    raw: dict[str, Any],
    *,
    municipalities: set[str],
    themes: set[str],
    retired: frozenset[str] | set[str] = frozenset(),
) -> Row:
    """Check one row against the reference data and the lifecycle rules; nothing is written.

    ``themes`` are the identifiers of the themes in use, ``retired`` those the coordinators
    retired (or merged into another), which a row may no longer give."""
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
    unknown = sorted(set(theme_slugs) - themes - set(retired))
    if unknown:
        errors.append(_("themes: unknown theme %(themes)s.") % {"themes": ", ".join(unknown)})
    no_longer = sorted(set(theme_slugs) & set(retired))
    if no_longer:
        errors.append(
            _("themes: the theme %(themes)s is no longer in use; give a theme in use instead.")
            % {"themes": ", ".join(no_longer)}
        )
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
        # The row must be able to stand at its stage: a new experiment starts as an idea and
        # reaches it by the moves of the page, each asking what it asks there (ended needs
        # results and an outcome…). The import is run by the platform's operators, who may
        # record an experiment as spread as a coordinator may.
        state = lifecycle.State(
            status=lifecycle.IDEA,
            results=values["results"],
            outcome=outcome,
            lessons=values["lessons"],
        )
        errors += _lifecycle_messages(lifecycle.reach_errors(state, status, by_coordinator=True))
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


def check_moves(rows: list[Row]) -> None:
    """Refuse, row by row, a re-import that would move an experiment against the lifecycle.

    An experiment imported before moves from the stage it is at now (or that an earlier line
    of the file gave it) to the row's stage only by the moves of the page
    (lifecycle.reach_errors): forward, or a plan back to an idea. The refusal is added to the
    row's errors, so the command lists it with the row's line; nothing is written here.
    """
    keys = {(row.data["municipality"], row.data["title"]) for row in rows if not row.errors}
    stages = _current_stages(keys)
    for row in rows:
        if row.errors:
            continue
        key = (row.data["municipality"], row.data["title"])
        current = stages.get(key)
        if current is not None:
            state = lifecycle.State(
                status=current,
                results=row.data["results"],
                outcome=row.data["outcome"],
                lessons=row.data["lessons"],
            )
            errors = lifecycle.reach_errors(state, row.data["status"], by_coordinator=True)
            row.errors += _lifecycle_messages(errors)
        if not row.errors:
            stages[key] = row.data["status"]


# Keys looked up per query: well under the databases' limits on parameters.
LOOKUP_CHUNK = 500


def _current_stages(keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The stage of each experiment already imported (or made) under these (municipality
    code, title) keys, as _existing finds them, in a query per LOOKUP_CHUNK keys."""
    found: dict[tuple[str, str], str] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[start : start + LOOKUP_CHUNK]
        rows = Experiment.objects.filter(
            owner__municipality_id__in={code for code, _t in chunk},
            title__in={title for _c, title in chunk},
        ).values_list("owner__municipality_id", "title", "status")
        for code, title, status in rows:
            if (code, title) in keys:
                found[(code, title)] = status
    return found


def _lifecycle_messages(errors: dict[str, str]) -> list[str]:
    """The lifecycle's errors as the import prints them, under the file's column names."""
    return [f"{'status' if name == 'to' else name}: {message}" for name, message in errors.items()]


# A transaction holds at most BATCH_ROWS rows and lasts about BATCH_SECONDS: the next batch's
# size follows the last one's speed, so other writers wait at most a fraction of a second
# (SQLite's busy_timeout is 5 s) however slow or fast a row is to write. A batch is written in
# bulk, in a number of queries that does not grow with its size (docs/import.md).
BATCH_ROWS = 1000
BATCH_SECONDS = 0.3
FIRST_BATCH_ROWS = 50
# Taking back is slower per row (a delete sends a signal per experiment): smaller batches.
UNDO_ROWS = 200
# A running import's heartbeat moves after every batch; one this old has stopped.
STALE_AFTER = timedelta(minutes=10)
# What a row sets, on a new experiment and on an update.
IMPORTED_FIELDS = [
    "summary",
    "description",
    "starts_on",
    "ends_on",
    "language",
    "results",
    "lessons",
    "outcome",
    "status",
]
# What an update overwrites, kept to be put back.
RESTORED_FIELDS = [*IMPORTED_FIELDS, "updated_at"]
# As experiments.services.unique_slug.
SLUG_LENGTH = 80
SLUG_FALLBACK = "kokeilu"


@dataclass
class WriteResult:
    """What write_rows wrote, and its longest transaction (what other writers waited for)."""

    created: int = 0
    updated: int = 0
    longest_batch: float = 0.0
    longest_batch_rows: int = 0


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
    received: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        if not received:
            received.append(signum)
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass(frozen=True)
class Reference:
    """What every batch looks up, read once per run: owners by municipality, themes by slug."""

    owners: dict[str, Organisation]
    themes: dict[str, int]

    @classmethod
    def load(cls) -> "Reference":
        return cls(
            # Of a municipality, so their municipality_id is never None.
            owners={
                cast(str, o.municipality_id): o
                for o in Organisation.objects.exclude(municipality=None)
            },
            themes=dict(Theme.objects.values_list("slug", "pk")),
        )


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


def _snapshot(
    experiments: list[Experiment],
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[int, int]]]:
    """What an update may change, per experiment, as JSON: fields, themes, timeline, vector;
    and the experiments' theme links now (theme id → link id), for the update to change."""
    ids = [e.pk for e in experiments]
    links: dict[int, dict[int, int]] = defaultdict(dict)
    through = Experiment.themes.through.objects.filter(experiment_id__in=ids)
    for pk, experiment_id, theme_id in through.values_list("pk", "experiment_id", "theme_id"):
        links[experiment_id][theme_id] = pk
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
    snapshot = {
        e.pk: {
            "fields": {
                name: None
                if getattr(e, name) is None
                else column_field(Experiment, name).value_to_string(e)
                for name in RESTORED_FIELDS
            },
            "themes": sorted(links[e.pk]),
            "transitions": sorted(transitions[e.pk]),
            "vector": vectors.get(e.pk),
        }
        for e in experiments
    }
    return snapshot, links


def _allocate_slugs(experiments: list[Experiment]) -> None:
    """Give each new experiment a unique address in two queries at most, as unique_slug
    would one by one: its title's slug, or the first free "-2", "-3"…"""
    bases = {id(e): slugify(e.title)[:SLUG_LENGTH] or SLUG_FALLBACK for e in experiments}
    taken = set(
        Experiment.objects.filter(slug__in=set(bases.values())).values_list("slug", flat=True)
    )
    counts: dict[str, int] = defaultdict(int)
    for base in bases.values():
        counts[base] += 1
    clashing = {b for b in bases.values() if b in taken or b in RESERVED or counts[b] > 1}
    if clashing:
        # "base-…" as a range, which the slug's unique index answers ("." follows "-").
        numbered = functools.reduce(
            operator.or_, (Q(slug__gt=f"{b}-", slug__lt=f"{b}.") for b in sorted(clashing))
        )
        taken |= set(Experiment.objects.filter(numbered).values_list("slug", flat=True))
    for experiment in experiments:
        base = bases[id(experiment)]
        slug, n = base, 2
        while slug in RESERVED or slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        experiment.slug = slug


def _write_batch(
    run: ImportRun, rows: list[Row], journaled: set[int], reference: Reference
) -> tuple[int, int]:
    """Write ``rows`` and their undo journal in one transaction; returns (created, updated).

    In bulk: a constant number of queries however many rows the batch holds (the experiments,
    their themes, places, timeline, search entries and journal each in one statement or a few).
    A row repeated in the file updates what its earlier line wrote, as a re-import would.
    """
    created = updated = 0
    now = timezone.now()
    with transaction.atomic():
        existing = _existing(rows)
        before, links = _snapshot(existing)
        experiments = {(e.owner.municipality_id, e.title): e for e in existing}
        new: list[Experiment] = []
        themes: dict[tuple[str | None, str], set[int]] = {}
        timeline: list[tuple[Experiment, str, str]] = []
        for row in rows:
            data = row.data
            key = (data["municipality"], data["title"])
            experiment = experiments.get(key)
            if experiment is None:
                if data["municipality"] not in reference.owners:
                    raise Organisation.DoesNotExist(
                        f"No organisation for municipality {data['municipality']}"
                    )
                # An imported row records an experiment already run: it is published.
                experiment = Experiment(
                    owner=reference.owners[data["municipality"]],
                    title=data["title"],
                    visibility=Visibility.PUBLIC,
                    published_at=now,
                )
                experiments[key] = experiment
                new.append(experiment)
                previous, is_new = "", True
            else:
                previous, is_new = experiment.status, False
            for name in IMPORTED_FIELDS:
                setattr(experiment, name, data[name])
            experiment.updated_at = now
            # What full_clean checks without a query; validate() checked the rest.
            experiment.clean_fields(exclude=["owner", "created_by", "reused_from", "slug"])
            themes[key] = {reference.themes[slug] for slug in data["themes"]}
            if previous != experiment.status:
                timeline.append((experiment, previous, experiment.status))
            created += is_new
            updated += not is_new
        _allocate_slugs(new)
        Experiment.objects.bulk_create(new)
        # An upsert on the primary key, not bulk_update(): its CASE per field and row costs
        # more to build in Python than the rest of the batch. Every row conflicts.
        Experiment.objects.bulk_create(
            existing,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[*IMPORTED_FIELDS, "updated_at"],
        )
        through = Experiment.themes.through
        stale_links = [
            link
            for e in existing
            for theme_id, link in links[e.pk].items()
            if theme_id not in themes[(e.owner.municipality_id, e.title)]
        ]
        through.objects.filter(pk__in=stale_links).delete()
        through.objects.bulk_create(
            [
                through(experiment_id=e.pk, theme_id=theme_id)
                for key, e in experiments.items()
                for theme_id in sorted(themes[key] - set(links.get(e.pk, ())))
            ]
        )
        places = Experiment.municipalities.through
        places.objects.bulk_create(
            [places(experiment_id=e.pk, municipality_id=e.owner.municipality_id) for e in new]
        )
        Transition.objects.bulk_create(
            [
                Transition(experiment_id=e.pk, from_status=from_status, to_status=to_status, at=now)
                for e, from_status, to_status in timeline
            ]
        )
        written = [e.pk for e in experiments.values()]
        index_many(_for_index(written), experiment_text)
        created_ids = {e.pk for e in new}
        changes = [
            ImportChange(
                run=run,
                experiment_id=pk,
                is_created=pk in created_ids,
                previous={} if pk in created_ids else before[pk],
            )
            for pk in written
            if pk not in journaled  # written earlier in this run: journaled then
        ]
        journaled.update(written)
        ImportChange.objects.bulk_create(changes)
        ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
        # Their vectors are made in the background, never while the batch holds the database.
        enqueue_embeddings(written)
    return created, updated


def _for_index(ids: list[int]) -> QuerySet[Experiment]:
    """The experiments with everything experiment_text reads, in a fixed number of queries."""
    return (
        Experiment.objects.filter(pk__in=ids)
        .select_related("owner")
        .prefetch_related("themes", "municipalities", "steps", "indicators", "journal")
    )


def write_rows(
    rows: list[Row],
    *,
    run: ImportRun,
    max_batch_rows: int = BATCH_ROWS,
    after_batch: Callable[[int], object] | None = None,
) -> WriteResult:
    """Write validated rows in short transactions under ``run``; returns what it wrote.

    Call it inside ``import_run``, which takes everything back if this raises. ``after_batch``
    gets the number of rows each committed batch wrote (the progress bar). The embedding model
    is not loaded: the written experiments are handed to similarity.enqueue_embeddings.
    """
    reference = Reference.load()
    journaled = set(run.changes.values_list("experiment_id", flat=True))
    result = WriteResult()
    size = min(FIRST_BATCH_ROWS, max_batch_rows)
    start = 0
    while start < len(rows):
        batch = rows[start : start + size]
        began = time.monotonic()
        new, changed = _write_batch(run, batch, journaled, reference)
        elapsed = time.monotonic() - began
        result.created += new
        result.updated += changed
        if elapsed > result.longest_batch:
            result.longest_batch, result.longest_batch_rows = elapsed, len(batch)
        start += len(batch)
        if after_batch is not None:
            after_batch(len(batch))
        size = max(1, min(max_batch_rows, int(len(batch) * BATCH_SECONDS / max(elapsed, 1e-6))))
    # bulk_create and update() send no signal: the cached public pages go once, here.
    pagecache.invalidate()
    return result


def _restore(changes: list[ImportChange]) -> None:
    """Put back the previous values of the updated experiments of ``changes``, in bulk."""
    previous = {c.experiment_id: c.previous for c in changes}
    alive = list(Experiment.objects.filter(pk__in=list(previous)).values_list("pk", flat=True))
    if not alive:
        return
    restored = []
    for pk in alive:
        experiment = Experiment(pk=pk)
        for name, value in previous[pk]["fields"].items():
            setattr(
                experiment,
                name,
                None if value is None else column_field(Experiment, name).to_python(value),
            )
        restored.append(experiment)
    # bulk_update(), not save(): updated_at goes back to its old value too.
    Experiment.objects.bulk_update(restored, RESTORED_FIELDS)
    through = Experiment.themes.through
    through.objects.filter(experiment_id__in=alive).delete()
    through.objects.bulk_create(
        [through(experiment_id=pk, theme_id=t) for pk in alive for t in previous[pk]["themes"]]
    )
    kept = [t for pk in alive for t in previous[pk]["transitions"]]
    Transition.objects.filter(experiment_id__in=alive).exclude(pk__in=kept).delete()
    ExperimentVector.objects.filter(
        experiment_id__in=[pk for pk in alive if previous[pk]["vector"] is None]
    ).delete()
    # A fresh updated_at: the similarity matrix cached in each process must reload.
    ExperimentVector.objects.bulk_create(
        [
            ExperimentVector(
                experiment_id=pk,
                vector=base64.b64decode(previous[pk]["vector"]["vector"]),
                source_hash=previous[pk]["vector"]["source_hash"],
            )
            for pk in alive
            if previous[pk]["vector"] is not None
        ],
        update_conflicts=True,
        unique_fields=["experiment"],
        update_fields=["vector", "source_hash", "updated_at"],
    )
    index_many(_for_index(alive), experiment_text)


def run_undo(run: ImportRun) -> int:
    """Take back what ``run`` wrote, newest first, in short transactions: delete the experiments
    it created (their timeline, vector and search entry go with them) and put back the previous
    values of those it updated. Returns how many experiments it took back. Safe to repeat: each
    transaction deletes the journal entries it undid."""
    undone = 0
    while changes := list(run.changes.order_by("-pk")[:UNDO_ROWS]):
        with transaction.atomic():
            _restore([change for change in changes if not change.is_created])
            ImportChange.objects.filter(pk__in=[c.pk for c in changes]).delete()
            Experiment.objects.filter(
                pk__in=[c.experiment_id for c in changes if c.is_created]
            ).delete()
            # update() sends no signal: the cached public pages must go all the same.
            transaction.on_commit(pagecache.invalidate, robust=True)
        undone += len(changes)
    return undone
