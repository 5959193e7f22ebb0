"""`digikunta import`: short transactions, taking back a failed run, one import at a time."""

import io
import os
import signal
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from digikunta.accounts.models import User
from digikunta.experiments.importing import import_run, sigterm_interrupts, validate, write_rows
from digikunta.experiments.models import (
    Experiment,
    ExperimentVector,
    ImportChange,
    ImportRun,
    ImportState,
    Theme,
    Transition,
)
from digikunta.municipalities.models import Municipality
from digikunta.search.models import SearchEntry

# Transactional: the point is what other connections see between the import's commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """The import needs municipalities and themes, which a flush removes."""


@pytest.fixture(autouse=True)
def _queued_embeddings(queued_tasks):
    """Embedding tasks wait as rows, as in production: these tests are about the writes."""


def rows(count, *, prefix="Kokeilu", status="running", results=""):
    municipalities = {m.code for m in Municipality.objects.all()}
    themes = set(Theme.objects.values_list("slug", flat=True))
    raw = [
        {
            "title": f"{prefix} {number}",
            "summary": f"Kokeillaan asiaa {number} kirjastossa.",
            "municipality": "837",
            "status": status,
            "outcome": "succeeded" if results else "",
            "results": results,
            "themes": "e-services",
        }
        for number in range(count)
    ]
    checked = [
        validate(line, row, municipalities=municipalities, themes=themes)
        for line, row in enumerate(raw, start=1)
    ]
    assert not [row.errors for row in checked if row.errors]
    return checked


def in_another_connection(work):
    """Run ``work`` in a thread, that is with its own database connection; return its result."""
    result = {}

    def target():
        try:
            result["value"] = work()
        except Exception as error:
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)
    if "error" in result:
        raise result["error"]
    return result["value"]


def database_state():
    """Everything an import writes, as plain values."""
    return {
        "experiments": sorted(Experiment.objects.values_list()),
        "themes": sorted(
            Experiment.themes.through.objects.values_list("experiment_id", "theme_id")
        ),
        "places": sorted(
            Experiment.municipalities.through.objects.values_list(
                "experiment_id", "municipality_id"
            )
        ),
        "timeline": sorted(Transition.objects.values_list()),
        "vectors": sorted(
            ExperimentVector.objects.values_list("experiment_id", "source_hash", "vector")
        ),
        "search": sorted(
            SearchEntry.objects.values_list("object_id", "language", "title_terms", "body_terms")
        ),
    }


def test_import_commits_in_batches_so_other_writes_proceed():
    seen, written = [], []

    def another_writer_during_the_import(count):
        written.append(count + sum(written[-1:]))

        def write_and_count():
            with transaction.atomic():
                User.objects.create_user(f"writer{len(seen)}@example.fi", "x" * 12)
            return Experiment.objects.count()

        seen.append(in_another_connection(write_and_count))

    with import_run("experiments") as run:
        write_rows(rows(5), run=run, max_batch_rows=2, after_batch=another_writer_during_the_import)
    # Another connection wrote after every batch, and saw every row written until then.
    assert len(seen) >= 3
    assert seen == written
    assert seen[-1] == 5
    assert User.objects.filter(email__startswith="writer").count() == len(seen)
    assert ImportRun.objects.get().state == ImportState.DONE
    assert not ImportChange.objects.exists()


def test_failure_mid_import_rolls_back_what_the_run_wrote():
    with import_run("experiments") as run:
        write_rows(rows(3), run=run)
    before = database_state()
    batches = []

    def fail_in_the_third_batch(count):
        batches.append(count)
        if len(batches) == 3:
            raise RuntimeError("disk full")

    # Three updates (to ended, with results and a timeline entry each) and five new rows.
    changed = rows(3, status="ended", results="Toimi hyvin.") + rows(5, prefix="Uusi")
    with pytest.raises(RuntimeError), import_run("experiments") as run:
        write_rows(changed, run=run, max_batch_rows=2, after_batch=fail_in_the_third_batch)
    assert database_state() == before
    assert set(Experiment.objects.values_list("status", flat=True)) == {"running"}
    assert ImportRun.objects.latest("pk").state == ImportState.ROLLED_BACK
    assert not ImportChange.objects.exists()


def test_a_terminated_import_takes_back_what_it_wrote():
    def terminate_after_the_second_batch(count, batches=[]):  # noqa: B006 - a counter
        batches.append(count)
        if len(batches) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(KeyboardInterrupt), sigterm_interrupts(), import_run("experiments") as run:
        write_rows(rows(6), run=run, max_batch_rows=2, after_batch=terminate_after_the_second_batch)
    assert not Experiment.objects.exists()
    assert not SearchEntry.objects.exists()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_second_concurrent_import_is_refused_with_a_message(tmp_path):
    path = tmp_path / "second.csv"
    path.write_text("title,summary,municipality\nToinen,Toinen tuonti.,091\n")
    refused = []

    def second_import_from_another_process(count):
        def run_second():
            with pytest.raises(CommandError) as error:
                call_command("import", "experiments", str(path), stdout=io.StringIO())
            return error.value

        refused.append(in_another_connection(run_second))

    with import_run("experiments", file_name="first.jsonl") as run:
        write_rows(
            rows(2), run=run, max_batch_rows=1, after_batch=second_import_from_another_process
        )
    assert len(refused) == 2
    assert "Another import is running: first.jsonl, started at" in str(refused[0])
    assert refused[0].returncode == 75
    assert not Experiment.objects.filter(title="Toinen").exists()
    # Once the first has ended, the same file imports.
    call_command("import", "experiments", str(path), stdout=io.StringIO())
    assert Experiment.objects.filter(title="Toinen").exists()


def test_stale_import_lock_is_taken_over(tmp_path):
    with import_run("experiments") as run:
        write_rows(rows(2), run=run)
    before = database_state()
    # A run killed with `kill -9` after it wrote: an update, a new row, and no heartbeat since.
    killed = ImportRun.objects.create(kind="experiments", file_name="killed.csv")
    write_rows(rows(1, status="ended", results="Valmis.") + rows(1, prefix="Kesken"), run=killed)
    ImportRun.objects.filter(pk=killed.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert database_state() != before

    path = tmp_path / "next.csv"
    path.write_text("title,summary,municipality\nSeuraava,Seuraava tuonti.,091\n")
    err = io.StringIO()
    call_command("import", "experiments", str(path), stdout=io.StringIO(), stderr=err)
    assert "had stopped without ending; what it had written was taken back" in err.getvalue()
    killed.refresh_from_db()
    assert killed.state == ImportState.TAKEN_OVER
    Experiment.objects.filter(title="Seuraava").delete()
    assert database_state() == before


def test_a_running_import_with_a_fresh_heartbeat_is_not_taken_over(tmp_path):
    ImportRun.objects.create(kind="experiments", file_name="running.csv")
    path = tmp_path / "x.csv"
    path.write_text("title,summary,municipality\nX,Y.,091\n")
    with pytest.raises(CommandError, match="Another import is running: running.csv"):
        call_command("import", "experiments", str(path), stdout=io.StringIO())
    assert not Experiment.objects.exists()


def test_failure_in_a_later_bulk_batch_takes_back_the_earlier_batches():
    with import_run("experiments") as run:
        write_rows(rows(30), run=run)
    # Some experiments have vectors made meanwhile, which an update must not lose on undo.
    for experiment in Experiment.objects.order_by("pk")[:5]:
        ExperimentVector.objects.create(
            experiment=experiment, vector=bytes(range(16)), source_hash=f"hash{experiment.pk}"
        )
    before = database_state()
    batches = []

    def fail_in_the_third_batch(count):
        batches.append(count)
        if len(batches) == 3:
            raise RuntimeError("disk full")

    # Thirty updates (new stage, results, other themes, a timeline entry each), forty new rows.
    changed = rows(30, status="ended", results="Toimi hyvin.") + rows(40, prefix="Uusi")
    for row in changed:
        row.data["themes"] = ["wellbeing", "mobility"]
    with pytest.raises(RuntimeError), import_run("experiments") as run:
        write_rows(changed, run=run, max_batch_rows=25, after_batch=fail_in_the_third_batch)
    assert len(batches) == 3
    assert database_state() == before
    assert ImportRun.objects.latest("pk").state == ImportState.ROLLED_BACK
