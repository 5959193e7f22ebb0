import pytest
from django.db import connection
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_ok_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_health_probes_refuse_other_methods(client):
    assert client.post("/healthz").status_code == 405


def test_migrate_creates_the_cache_table_that_rate_limits_and_pages_use(tmp_path):
    """With the real settings (a database cache): `make run` on a fresh machine needs it."""
    import os
    import sqlite3
    import subprocess
    import sys

    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digikunta.settings.base",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "DIGIKUNTA_VAR_DIR": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v0"], env=env, check=True
    )
    tables = sqlite3.connect(database).execute("SELECT name FROM sqlite_master").fetchall()
    assert ("digikunta_cache",) in tables
