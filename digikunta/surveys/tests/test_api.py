"""The API: published surveys and their counts as open data; never free text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.surveys import services
from digikunta.surveys.tests.factories import SurveyFactory, every_kind

pytestmark = pytest.mark.django_db

SECRET = "Tämä on vain järjestäjälle"


@pytest.fixture
def answered(survey, questions):
    single, multiple, scale, text = questions
    for index in range(3):
        services.response_submit(
            survey=survey,
            user=UserFactory(),
            answers={
                single.pk: single.choices.all()[index].pk,
                multiple.pk: [c.pk for c in multiple.choices.all()[: index + 1]],
                scale.pk: index + 3,
                text.pk: SECRET if index == 0 else "",
            },
        )
    return survey


def test_the_list_holds_published_surveys_only(client, answered, kuopio):
    SurveyFactory(organiser=kuopio, draft=True)
    SurveyFactory(organiser=kuopio, has_public_results=False, title="Sisäinen")
    response = client.get("/api/v1/surveys")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["title"] == "Sisäinen" and first["responses"] is None and first["results"] is None
    assert second["id"] == answered.pk
    assert second["organiser"] == "kuopio"
    assert second["state"] == "open"
    assert second["anonymous"] is True
    assert second["responses"] == 3
    assert second["results"].endswith(f"/api/v1/surveys/{answered.pk}/results")


def test_the_list_costs_the_same_queries_for_2_and_20_surveys(client, kuopio):
    def queries_for(count):
        SurveyFactory.create_batch(count, organiser=kuopio)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/surveys?page_size=50").status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(18)


def test_the_results_are_counts_without_free_text(client, answered):
    response = client.get(f"/api/v1/surveys/{answered.pk}/results")
    assert response.status_code == 200
    body = response.json()
    assert body["responses"] == 3
    single, multiple, scale, text = body["questions"]
    assert [c["count"] for c in single["counts"]] == [1, 1, 1]
    assert single["counts"][0]["answer"] == "Aamulla"
    assert single["counts"][0]["answer_sv"] == "Aamulla (sv)"
    assert [c["count"] for c in multiple["counts"]] == [3, 2, 1]
    assert multiple["counts"][0]["percent"] == 100.0
    assert [c["count"] for c in scale["counts"]] == [0, 0, 1, 1, 1]
    assert scale["mean"] == 4.0
    assert text == {
        "id": text["id"],
        "number": 4,
        "kind": "text",
        "text": "Mitä muuta haluat sanoa?",
        "text_sv": "Vad mer vill du säga?",
        "answered": 1,
        "counts": [],
        "mean": None,
    }
    assert SECRET not in response.content.decode()


def test_results_that_are_not_public_are_forbidden_and_drafts_not_found(client, kuopio, runner):
    private = SurveyFactory(organiser=kuopio, has_public_results=False)
    draft = SurveyFactory(organiser=kuopio, draft=True)
    every_kind(private)
    response = client.get(f"/api/v1/surveys/{private.pk}/results")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert client.get(f"/api/v1/surveys/{draft.pk}/results").status_code == 404
    assert client.get("/api/v1/surveys/99999999999999999999/results").status_code == 404
    _token, raw = token_create(user=runner, name="raportointi")
    response = client.get(
        f"/api/v1/surveys/{private.pk}/results", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
