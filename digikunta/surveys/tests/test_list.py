"""The surveys page: what is open, upcoming and closed, and the runner's own with drafts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digikunta.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_the_page_groups_surveys_by_state_and_hides_drafts(client, kuopio):
    now = timezone.now()
    SurveyFactory(organiser=kuopio, title="Avoin kysely")
    SurveyFactory(organiser=kuopio, title="Tuleva kysely", opens_at=now + timedelta(days=3))
    SurveyFactory(
        organiser=kuopio,
        title="Päättynyt kysely",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=2),
    )
    SurveyFactory(organiser=kuopio, title="Luonnoskysely", draft=True)
    response = client.get(reverse("surveys:survey_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert page.index("Avoin kysely") < page.index("Tuleva kysely") < page.index("Päättynyt")
    assert "Luonnoskysely" not in page
    assert "Aloita uusi kysely" not in page


def test_the_runner_sees_their_drafts_and_may_start_one(client, kuopio, runner):
    SurveyFactory(organiser=kuopio, title="Luonnoskysely", draft=True)
    client.force_login(runner)
    page = client.get(reverse("surveys:survey_list")).content.decode()
    assert "Hoitamasi kyselyt" in page
    assert "Luonnoskysely" in page
    assert "Aloita uusi kysely" in page


def test_the_swedish_page_shows_swedish_titles(client, kuopio):
    SurveyFactory(organiser=kuopio, title="Kirjasto", title_sv="Biblioteket")
    page = client.get("/sv/surveys/").content.decode()
    assert "Biblioteket" in page and "<h1>Enkäter</h1>" in page


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_costs_the_same_queries_for_2_and_20_surveys(client, kuopio, runner, signed_in):
    if signed_in:
        client.force_login(runner)

    def queries_for(count):
        SurveyFactory.create_batch(count, organiser=kuopio)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("surveys:survey_list")).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(18)
