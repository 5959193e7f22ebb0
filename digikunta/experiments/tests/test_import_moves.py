"""A re-import moves an experiment's stage only as the lifecycle allows, row by row."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digikunta.experiments.models import Experiment, Transition
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.organisations.models import Organisation

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
HEADER = "title,summary,municipality,status,outcome,results,lessons\n"


def run(path, *args, language="en"):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import", "experiments", str(path), "--language", language, *args, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def test_a_re_import_that_moves_a_stage_back_is_refused_for_that_row_only(tmp_path):
    run(DATA / "good.csv")
    again = tmp_path / "again.csv"
    again.write_text(
        HEADER
        + "Chat-neuvonta yrittäjille,Kysymyksiin vastataan.,837,ended,succeeded,Toimii.,\n"
        + "Digistöd på biblioteket,Frivilliga hjälper äldre.,905,running,,,\n"
    )
    with pytest.raises(CommandError, match="1 of 2 rows have errors; nothing was imported"):
        run(again)
    assert Experiment.objects.get(title="Chat-neuvonta yrittäjille").status == "running"

    out, err = run(again, "--skip-invalid")
    assert err.splitlines() == [
        "again.csv:3: status: An experiment at the stage “evaluated” cannot move to "
        "“running”: stages go forward only, except a plan back to an idea."
    ]
    assert "0 new, 1 updated; skipped 1 invalid rows." in out
    vasa = Experiment.objects.get(title="Digistöd på biblioteket")
    assert (vasa.status, vasa.summary) == ("evaluated", "Frivilliga hjälper äldre med e-tjänster.")
    chat = Experiment.objects.get(title="Chat-neuvonta yrittäjille")
    assert (chat.status, chat.results) == ("ended", "Toimii.")


def test_an_experiment_made_on_the_site_is_not_moved_back_by_an_import(tmp_path):
    tampere = Organisation.objects.get(municipality_id="837")
    ExperimentFactory(owner=tampere, title="Kirjaston chat", status="ended", outcome="partly")
    path = tmp_path / "back.csv"
    path.write_text(HEADER + "Kirjaston chat,Chat kirjastossa.,837,idea,,,\n")
    with pytest.raises(CommandError):
        _out, err = run(path, language="fi")
    assert Experiment.objects.get(title="Kirjaston chat").status == "ended"


def test_the_refusal_is_in_finnish_when_asked(tmp_path):
    tampere = Organisation.objects.get(municipality_id="837")
    ExperimentFactory(owner=tampere, title="Kirjaston chat", status="ended", outcome="partly")
    path = tmp_path / "back.csv"
    path.write_text(HEADER + "Kirjaston chat,Chat kirjastossa.,837,running,,,\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "experiments", str(path), "--language", "fi", stdout=io.StringIO(), stderr=err
        )
    assert err.getvalue().startswith("back.csv:2: status: Vaiheessa ”päättynyt” oleva kokeilu")


def test_a_re_import_may_skip_forward_through_the_stages_with_their_texts(tmp_path):
    path = tmp_path / "forward.csv"
    path.write_text(HEADER + "Kirjaston chat,Chat kirjastossa.,837,planned,,,\n")
    run(path)
    path.write_text(
        HEADER + "Kirjaston chat,Chat kirjastossa.,837,evaluated,partly,Toimi.,Aloita pienestä.\n"
    )
    run(path)
    experiment = Experiment.objects.get(title="Kirjaston chat")
    assert experiment.status == "evaluated"
    assert list(
        Transition.objects.filter(experiment=experiment).values_list("from_status", "to_status")
    ) == [("", "planned"), ("planned", "evaluated")]


def test_a_plan_may_go_back_to_an_idea(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(HEADER + "Kirjaston chat,Chat kirjastossa.,837,planned,,,\n")
    run(path)
    path.write_text(HEADER + "Kirjaston chat,Chat kirjastossa.,837,idea,,,\n")
    run(path)
    assert Experiment.objects.get(title="Kirjaston chat").status == "idea"


def test_a_later_line_of_the_same_file_is_checked_against_the_earlier_one(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(
        HEADER
        + "Kirjaston chat,Chat kirjastossa.,837,ended,partly,Toimi.,\n"
        + "Kirjaston chat,Chat kirjastossa.,837,running,,,\n"
    )
    out, err = run(path, "--skip-invalid")
    assert err.startswith("twice.csv:3: status: An experiment at the stage “ended”")
    assert Experiment.objects.get(title="Kirjaston chat").status == "ended"
