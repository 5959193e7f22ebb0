"""`digikunta import experiments`: good, bad and repeated files."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digikunta.experiments.models import Experiment

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "experiments", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_csv_file_is_imported_with_stages_and_themes():
    out, _err = run(DATA / "good.csv")
    assert "2 new, 0 updated" in out
    vasa = Experiment.objects.get(title="Digistöd på biblioteket")
    assert (vasa.status, vasa.outcome, vasa.language) == ("evaluated", "partly", "sv")
    assert vasa.owner.municipality_id == "905"
    assert sorted(vasa.themes.values_list("slug", flat=True)) == ["e-services", "wellbeing"]
    assert vasa.transitions.get().to_status == "evaluated"
    # A row records an experiment already run: it is published, not a draft.
    assert vasa.visibility == "public" and vasa.published_at is not None


def test_importing_the_same_file_again_updates_instead_of_duplicating(tmp_path):
    run(DATA / "good.csv")
    changed = tmp_path / "changed.csv"
    changed.write_text(
        (DATA / "good.csv")
        .read_text()
        .replace("running,", "ended,succeeded")
        .replace(",fi,,", ",fi,Toimii.,")
    )
    out, _err = run(changed)
    assert "0 new, 2 updated" in out
    assert Experiment.objects.count() == 2
    chat = Experiment.objects.get(title="Chat-neuvonta yrittäjille")
    assert (chat.status, chat.results) == ("ended", "Toimii.")
    assert list(chat.transitions.values_list("from_status", "to_status")) == [
        ("", "running"),
        ("running", "ended"),
    ]


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line():
    with pytest.raises(CommandError, match="4 of 5 rows have errors; nothing was imported"):
        _out, err = run(DATA / "bad.jsonl")
    assert not Experiment.objects.exists()


def test_errors_are_listed_with_line_numbers():
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "experiments", str(DATA / "bad.jsonl"), stdout=io.StringIO(), stderr=err
        )
    lines = err.getvalue()
    assert "bad.jsonl:2: title: this column is required." in lines
    assert "bad.jsonl:3: municipality: no municipality has the code 999." in lines
    assert "bad.jsonl:4: not valid JSON" in lines
    assert "bad.jsonl:5: results:" in lines and "bad.jsonl:5: outcome:" in lines


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest():
    out, err = run(DATA / "bad.jsonl", "--skip-invalid")
    assert "1 new, 0 updated; skipped 4 invalid rows." in out
    assert list(Experiment.objects.values_list("title", flat=True)) == ["Hyvä rivi"]


def test_unknown_csv_columns_are_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("title,summary,municipality,colour\nA,B,091,red\n")
    with pytest.raises(CommandError):
        run(path)
    assert not Experiment.objects.exists()


def test_messages_can_be_in_finnish():
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "experiments",
            str(DATA / "bad.jsonl"),
            "--language",
            "fi",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "bad.jsonl:3: municipality: millään kunnalla ei ole koodia 999." in err.getvalue()


def test_imported_experiments_are_found_by_search(client):
    run(DATA / "good.csv")
    page = client.get("/sv/casebank/", {"q": "biblioteket"}).context["page"]
    found = Experiment.objects.get(title="Digistöd på biblioteket")
    assert [e.pk for e in page.object_list] == [found.pk]
