"""The staff status page shows how far the background work is (issue 9)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.tests.worker import run_worker
from digikunta.experiments.similarity import embedding_progress, enqueue_embeddings
from digikunta.experiments.tests.factories import ExperimentFactory

DATA = Path(__file__).parents[2] / "experiments" / "tests" / "data"


def embeddings_shown(client) -> str:
    html = client.get("/en/admin/status/").content.decode()
    start = html.index("Experiments with an embedding")
    return html[start : html.index("</dl>", start)]


def test_the_status_page_shows_an_imports_embeddings_as_the_worker_makes_them(
    client, queued_tasks, reference_data
):
    call_command("import", "experiments", str(DATA / "good.csv"), stdout=io.StringIO())
    client.force_login(UserFactory(is_staff=True, totp=True))

    before = embeddings_shown(client)
    assert "<dd>0 / 2</dd>" in before
    assert "Embedding tasks waiting</dt><dd>1</dd>" in before

    run_worker()

    after = embeddings_shown(client)
    assert "<dd>2 / 2</dd>" in after
    assert "Embedding tasks waiting</dt><dd>0</dd>" in after
    assert "Embedding tasks failed</dt><dd>0</dd>" in after


@pytest.mark.parametrize("count", [2, 20])
def test_embedding_progress_costs_two_queries_however_many_experiments(
    count, queued_tasks, db, django_assert_num_queries
):
    for experiment in ExperimentFactory.create_batch(count):
        enqueue_embeddings([experiment.pk])  # as experiment_create does: one task each

    with django_assert_num_queries(2):
        progress = embedding_progress()

    assert progress == {
        "experiments": count,
        "embedded": 0,
        "ready": count,
        "running": 0,
        "failed": 0,
    }


@pytest.mark.django_db
def test_system_status_tells_administrators_which_finnish_search_runs(client):
    from digikunta.accounts.tests.factories import UserFactory

    assert client.get("/en/admin/status/").status_code == 302  # to the login
    admin = UserFactory(is_staff=True, totp=True)
    client.force_login(admin)
    from digikunta.search.analysis import status

    html = client.get("/en/admin/status/").content.decode()
    if status()["finnish"] == "voikko":
        assert f"Voikko {status()['voikko_version']}: base forms" in html
    else:
        assert "Snowball stemming (fallback)" in html


@pytest.mark.django_db
def test_system_status_reports_the_snowball_fallback(client, monkeypatch):
    from digikunta.accounts.tests.factories import UserFactory
    from digikunta.search import analysis

    monkeypatch.setattr(analysis, "status", lambda: {"finnish": "snowball", "voikko_version": None})
    client.force_login(UserFactory(is_staff=True, totp=True))
    assert "Snowball stemming (fallback)" in client.get("/en/admin/status/").content.decode()
