"""GET /api/v1/experiments: the case bank's selector behind it, bounded pages, flat query count."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from digikunta.casebank import index
from digikunta.experiments.models import Experiment, Measurement, Step, Theme
from digikunta.experiments.search_text import experiment_index
from digikunta.experiments.tests.factories import ExperimentFactory, IndicatorFactory
from digikunta.municipalities.models import Municipality
from digikunta.search import engine

pytestmark = pytest.mark.django_db


def _experiments(organisation, n: int) -> list[Experiment]:
    theme = Theme.objects.get(slug="facilities")
    made = []
    for _ in range(n):
        experiment = ExperimentFactory.create(owner=organisation, status="ended", outcome="partly")
        experiment.themes.add(theme)
        experiment.municipalities.add(Municipality.objects.get(code="091"))
        experiment_index(experiment)
        made.append(experiment)
    return made


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"search": "tilavarauskokeilu"},
        {"theme": "facilities", "status": "ended", "region": "01", "municipality": "091"},
        {"search": "tilavarauskokeilu", "outcome": "partly", "region": "01"},
    ],
)
def test_api_list_queries_do_not_grow_with_the_page(
    client, organisation, django_assert_num_queries, query, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 0  # the queries of a render, not of stored parts
    _experiments(organisation, 2)
    engine.apply(index.NAME)  # as the task after each commit does: readers find it current
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/experiments", query).json()["results"]) == 2
    _experiments(organisation, 18)
    engine.apply(index.NAME)

    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/experiments", query).json()["results"]) == 20


@pytest.mark.parametrize(
    ("api", "page"),
    [
        ({}, {}),
        ({"search": "tilavarauskokeilu"}, {"q": "tilavarauskokeilu"}),
        (
            {"theme": "facilities", "region": "01", "status": "ended"},
            {"theme": "facilities", "region": "01", "status": "ended"},
        ),
    ],
)
def test_api_list_and_case_bank_page_list_the_same_experiments_in_the_same_order(
    client, organisation, api, page
):
    _experiments(organisation, 5)
    ExperimentFactory(owner=organisation, visibility="members")
    # Equal times: the tie-break decides the order, and it must be the page's.
    Experiment.objects.update(updated_at=Experiment.objects.order_by("pk").first().updated_at)

    listed = [e["id"] for e in client.get("/api/v1/experiments", api).json()["results"]]
    shown = [e.pk for e in client.get("/fi/casebank/", page).context["page"].object_list]

    assert listed == shown
    assert len(listed) == 5


def test_an_unknown_theme_in_the_api_list_finds_nothing(client, organisation):
    _experiments(organisation, 2)

    body = client.get("/api/v1/experiments", {"theme": "no-such-theme"}).json()

    assert body["count"] == 0
    assert body["results"] == []


def test_a_page_past_the_end_is_empty_with_the_count_and_a_way_back(client, organisation):
    _experiments(organisation, 3)

    body = client.get("/api/v1/experiments", {"page": 3, "page_size": 2}).json()

    assert body["results"] == []
    assert body["count"] == 3
    assert body["next"] is None
    assert "page=2" in body["previous"]


@pytest.mark.parametrize("page", [0, -1, 10**6 + 1, 10**7, 2**63])
def test_a_page_number_out_of_range_is_a_422_naming_the_page(organisation, page):
    _experiments(organisation, 1)

    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/experiments", {"page": page})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["page"]


def test_the_last_allowed_page_answers_empty(client, organisation):
    _experiments(organisation, 1)

    response = client.get("/api/v1/experiments", {"page": 10**6, "page_size": 500})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_api_list_search_and_facets_keep_members_only_experiments_hidden(
    client, organisation, outsider
):
    shown, hidden = _experiments(organisation, 2)
    Experiment.objects.filter(pk=hidden.pk).update(visibility="members", updated_at=F("updated_at"))

    listed = client.get("/api/v1/experiments", {"search": "tilavarauskokeilu", "region": "01"})

    assert [e["id"] for e in listed.json()["results"]] == [shown.pk]


def test_api_detail_queries_do_not_grow_with_its_steps_and_indicators(
    client, organisation, django_assert_num_queries, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 0  # the queries of a render, not of stored parts
    (experiment,) = _experiments(organisation, 1)

    def add(n: int) -> None:
        for i in range(n):
            Step.objects.create(experiment=experiment, title=f"Vaihe {i}", position=i)
            indicator = IndicatorFactory.create(experiment=experiment)
            Measurement.objects.create(indicator=indicator, measured_on=date(2026, 1, 1), value=i)

    add(1)
    url = f"/api/v1/experiments/{experiment.pk}"
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()["steps"]) == 1
    add(9)

    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["indicators"]) == 10
