"""The experiments API: public reads, token writes under the page rules, translated errors."""

import pytest

from digikunta.accounts.services import token_create
from digikunta.casebank import index
from digikunta.experiments.models import Experiment, Measurement, Visibility
from digikunta.experiments.tests.factories import (
    ExperimentFactory,
    IndicatorFactory,
    TeamMemberFactory,
)
from digikunta.search import engine

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


def test_list_shows_public_experiments_with_filters(client, organisation):
    running = ExperimentFactory(owner=organisation, status="running")
    running.municipalities.add("091")
    ExperimentFactory(owner=organisation, status="idea")
    ExperimentFactory(owner=organisation, visibility="members")
    body = client.get("/api/v1/experiments").json()
    assert body["count"] == 2
    body = client.get("/api/v1/experiments", {"status": "running", "region": "01"}).json()
    assert [e["id"] for e in body["results"]] == [running.pk]
    assert body["results"][0]["municipalities"] == ["091"]
    assert client.get("/api/v1/experiments", {"municipality": "297"}).json()["count"] == 0


def test_members_only_experiment_is_404_without_the_right_token(
    client, organisation, member, outsider
):
    hidden = ExperimentFactory(owner=organisation, visibility="members")
    assert client.get(f"/api/v1/experiments/{hidden.pk}").status_code == 404
    assert client.get(f"/api/v1/experiments/{hidden.pk}", **auth(outsider)).status_code == 404


def test_token_holder_creates_moves_and_measures_an_experiment(client, member, organisation):
    headers = auth(member)
    response = client.post(
        "/api/v1/experiments",
        {
            "owner": organisation.slug,
            "title": "Etäkokoukset lautakunnille",
            "summary": "Kokeillaan.",
            "themes": ["management"],
            "municipalities": ["091"],
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    experiment_id = response.json()["id"]
    assert response.json()["themes"] == ["management"]
    for stage in ("planned", "running"):
        response = client.post(
            f"/api/v1/experiments/{experiment_id}/transitions",
            {"to": stage},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 200 and response.json()["status"] == stage
    indicator = IndicatorFactory(experiment_id=experiment_id)
    response = client.post(
        f"/api/v1/experiments/{experiment_id}/indicators/{indicator.pk}/measurements",
        {"measured_on": "2026-10-01", "value": "12.5"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    assert Measurement.objects.get().value == 12.5
    response = client.patch(
        f"/api/v1/experiments/{experiment_id}",
        {"summary": "Uusi tiivistelmä."},
        content_type="application/json",
        **headers,
    )
    assert response.json()["summary"] == "Uusi tiivistelmä."
    assert response.json()["title"] == "Etäkokoukset lautakunnille"


def test_an_invalid_move_is_a_translated_422_and_nothing_changes(client, member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    response = client.post(
        f"/api/v1/experiments/{experiment.pk}/transitions",
        {"to": "evaluated"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(member),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to"
    assert "cannot move" in response.json()["errors"][0]["message"]
    experiment.refresh_from_db()
    assert experiment.status == "idea"


def test_unknown_municipality_code_is_named(client, member, organisation):
    response = client.post(
        "/api/v1/experiments",
        {"owner": organisation.slug, "title": "Kokeilu", "summary": "x", "municipalities": ["999"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(member),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "municipalities"
    assert "999" in response.json()["errors"][0]["message"]
    assert not Experiment.objects.exists()


def test_nobody_writes_for_an_organisation_they_do_not_belong_to(client, outsider, organisation):
    response = client.post(
        "/api/v1/experiments",
        {"owner": organisation.slug, "title": "Kokeilu", "summary": "x"},
        content_type="application/json",
        **auth(outsider),
    )
    assert response.status_code == 422
    assert not Experiment.objects.exists()


def test_outsider_cannot_move_a_public_experiment(client, outsider, organisation):
    experiment = ExperimentFactory(owner=organisation)
    response = client.post(
        f"/api/v1/experiments/{experiment.pk}/transitions",
        {"to": "planned"},
        content_type="application/json",
        **auth(outsider),
    )
    assert response.status_code == 403


def test_list_queries_do_not_grow_with_the_page(
    client, organisation, django_assert_max_num_queries, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 0  # the queries of a render, not of stored parts
    for _i in range(30):
        ExperimentFactory(owner=organisation).municipalities.add("091")
    engine.apply(index.NAME)  # as the task after each commit does: readers find it current
    # Pending index changes, the rows' ids and dates, the rows, their places and themes.
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/experiments", {"page_size": 30}).json()["results"]) == 30


def test_search_parameter_finds_inflected_words_ranked(client, member, organisation):
    from digikunta.experiments import services

    hit = services.experiment_create(
        by=member,
        owner=organisation,
        title="Tilavarausjärjestelmä",
        summary="Varaukset verkossa.",
        visibility=Visibility.PUBLIC,
    )
    services.experiment_create(
        by=member, owner=organisation, title="Etäkokoukset", summary="x", visibility="public"
    )
    body = client.get("/api/v1/experiments", {"search": "tilavarauksen"}).json()
    assert [e["id"] for e in body["results"]] == [hit.pk]
    assert body["count"] == 1


def test_members_read_members_only_experiments_with_their_token(client, member, organisation):
    hidden = ExperimentFactory(owner=organisation, visibility="members")
    assert client.get(f"/api/v1/experiments/{hidden.pk}", **auth(member)).status_code == 200
    listed = client.get("/api/v1/experiments", **auth(member)).json()
    assert hidden.pk in [e["id"] for e in listed["results"]]
    wrong = client.get("/api/v1/experiments", HTTP_AUTHORIZATION="Bearer dk_wrong")
    assert wrong.status_code == 401


def test_token_holder_posts_a_journal_entry_and_reads_it_back_sanitised(
    client, member, organisation
):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    response = client.post(
        f"/api/v1/experiments/{experiment.pk}/journal",
        {"body": "Viikko 1: **hyvin** <script>x</script>", "video_url": "https://example.fi/v"},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/experiments/{experiment.pk}/journal").json()
    assert body["count"] == 1
    assert "<strong>hyvin</strong>" in body["results"][0]["html"]
    assert "<script>" not in body["results"][0]["html"]


def test_a_journal_entry_with_a_plain_http_video_link_is_refused(client, member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    response = client.post(
        f"/api/v1/experiments/{experiment.pk}/journal",
        {"body": "x", "video_url": "http://example.fi/v"},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "video_url"
