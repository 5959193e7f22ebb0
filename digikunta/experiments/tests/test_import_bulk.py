"""`digikunta import experiments` at national scale: bulk writes, no embedding in the run."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digikunta.experiments.importing import import_run, validate, write_rows
from digikunta.experiments.models import Experiment, ExperimentVector, Theme
from digikunta.experiments.similarity import language_means
from digikunta.municipalities.models import Municipality
from digikunta.search.models import SearchEntry

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def checked(raw):
    municipalities = set(Municipality.objects.values_list("code", flat=True))
    themes = set(Theme.objects.values_list("slug", flat=True))
    rows = [
        validate(line, row, municipalities=municipalities, themes=themes)
        for line, row in enumerate(raw, start=1)
    ]
    assert not [row.errors for row in rows if row.errors]
    return rows


def rows(count, *, status="running", themes="e-services"):
    return checked(
        {
            "title": f"Kokeilu {number}",
            "summary": f"Kokeillaan tilavarausta {number} kirjastossa.",
            "description": "Kuntalaiset varaavat tiloja verkossa. Ovet avautuvat puhelimella.",
            "municipality": ("837", "091")[number % 2],
            "status": status,
            "themes": themes,
        }
        for number in range(count)
    )


def queries_to_write(batch):
    with CaptureQueriesContext(connection) as queries, import_run("experiments") as run:
        write_rows(batch, run=run)
    return len(queries)


def test_import_writes_in_bulk_with_a_constant_number_of_queries_per_batch():
    queries_to_write(rows(1))  # once for what a process looks up once (content types…)
    Experiment.objects.all().delete()
    new_2 = queries_to_write(rows(2))
    Experiment.objects.all().delete()
    new_20 = queries_to_write(rows(20))
    # Now every row is an update: other stage and themes, so a timeline entry each.
    changed_20 = queries_to_write(rows(20, status="planned", themes="mobility;wellbeing"))
    Experiment.objects.all().delete()
    queries_to_write(rows(2))
    changed_2 = queries_to_write(rows(2, status="planned", themes="mobility;wellbeing"))
    assert new_2 == new_20
    assert changed_2 == changed_20
    assert Experiment.objects.filter(status="planned").count() == 2
    assert SearchEntry.objects.count() == 2


def test_a_row_repeated_in_the_file_updates_what_its_earlier_line_created():
    first, again = rows(1) + rows(1, status="planned", themes="mobility")
    with import_run("experiments") as run:
        result = write_rows([first, again], run=run)
    assert (result.created, result.updated) == (1, 1)
    experiment = Experiment.objects.get()
    assert experiment.status == "planned"
    assert list(experiment.themes.values_list("slug", flat=True)) == ["mobility"]
    assert list(experiment.transitions.values_list("from_status", "to_status")) == [
        ("", "running"),
        ("running", "planned"),
    ]


def test_imported_titles_that_slug_alike_get_distinct_addresses():
    same = [
        {"title": "Kokeilu", "summary": "Sama nimi.", "municipality": m} for m in ("091", "837")
    ]
    with import_run("experiments") as run:
        write_rows(checked([*same, {**same[0], "title": "Kokeilu!"}]), run=run)
    assert sorted(Experiment.objects.values_list("slug", flat=True)) == [
        "kokeilu",
        "kokeilu-2",
        "kokeilu-3",
    ]


def test_import_leaves_embeddings_to_the_background(client, queued_tasks):
    from django_tasks_db.models import DBTaskResult

    model_loads = language_means.cache_info()
    call_command("import", "experiments", str(DATA / "good.csv"), stdout=io.StringIO())
    # The embedding model was not asked for, and no vector was made.
    assert language_means.cache_info() == model_loads
    assert not ExperimentVector.objects.exists()
    # The worker is asked to embed every imported experiment, in batched tasks.
    queued = DBTaskResult.objects.filter(task_path__endswith=".experiment_vectors_update")
    asked = {pk for task in queued for pk in task.args_kwargs["kwargs"]["experiment_ids"]}
    assert asked == set(Experiment.objects.values_list("pk", flat=True))
    assert {task.queue_name for task in queued} == {"embeddings"}
    # The page of an experiment without a vector still shows, just without similar ones yet.
    experiment = Experiment.objects.get(title="Digistöd på biblioteket")
    assert client.get(experiment.get_absolute_url()).status_code == 200
