"""PATCH keeps what an experiment's stages asked for: results and lessons cannot be emptied."""

import pytest

from digikunta.accounts.services import token_create
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

DONE = {"outcome": "partly", "results": "Jonot lyhenivät.", "lessons": "Aloita pienestä."}


def patch(client, user, experiment, body, language="en"):
    return client.patch(
        f"/api/v1/experiments/{experiment.pk}",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}",
    )


@pytest.fixture
def evaluated(member, organisation):
    experiment = ExperimentFactory(owner=organisation, status="evaluated", **DONE)
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


@pytest.mark.parametrize(
    ("status", "body", "field"),
    [
        ("ended", {"results": ""}, "results"),
        ("ended", {"results": "   "}, "results"),
        ("ended", {"results": None}, "results"),
        ("evaluated", {"lessons": ""}, "lessons"),
        ("evaluated", {"results": "", "summary": "Uusi."}, "results"),
        ("spread", {"lessons": "\n"}, "lessons"),
    ],
)
def test_emptying_what_a_stage_asked_for_is_refused_and_nothing_changes(
    client, member, organisation, status, body, field
):
    experiment = ExperimentFactory(owner=organisation, status=status, **DONE)
    TeamMemberFactory(experiment=experiment, user=member)
    response = patch(client, member, experiment, body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert "do not leave them empty" in errors[0]["message"]
    experiment.refresh_from_db()
    assert (experiment.results, experiment.lessons, experiment.summary) == (
        DONE["results"],
        DONE["lessons"],
        ExperimentFactory.summary,
    )


def test_the_refusal_is_in_the_language_asked_for(client, member, evaluated):
    response = patch(client, member, evaluated, {"lessons": ""}, language="fi")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "Arvioidun kokeilun opit säilyvät: korjaa niitä, mutta älä jätä niitä tyhjiksi."
    )
    response = patch(client, member, evaluated, {"lessons": ""}, language="sv")
    assert "lärdomar" in response.json()["errors"][0]["message"]


def test_results_and_lessons_can_be_corrected(client, member, evaluated):
    response = patch(client, member, evaluated, {"results": "Jonot puolittuivat.", "lessons": "X"})
    assert response.status_code == 200
    assert (response.json()["results"], response.json()["lessons"]) == ("Jonot puolittuivat.", "X")


def test_an_ended_experiment_has_no_lessons_to_keep_yet(client, member, organisation):
    experiment = ExperimentFactory(owner=organisation, ended=True, lessons="Luonnos.")
    TeamMemberFactory(experiment=experiment, user=member)
    response = patch(client, member, experiment, {"lessons": ""})
    assert response.status_code == 200
    assert response.json()["lessons"] == ""


def test_a_running_experiment_may_empty_its_draft_results(client, member, organisation):
    experiment = ExperimentFactory(owner=organisation, status="running", results="Alustava.")
    TeamMemberFactory(experiment=experiment, user=member)
    assert patch(client, member, experiment, {"results": ""}).status_code == 200


def test_other_fields_of_an_evaluated_experiment_change_as_before(client, member, evaluated):
    response = patch(client, member, evaluated, {"title": "Uusi nimi"})
    assert response.status_code == 200 and response.json()["title"] == "Uusi nimi"
