"""The participation API: processes and ideas as open data; declaring, posting and support
with a token, under the pages' rules."""

import pytest

from digikunta.accounts.services import token_create
from digikunta.participation.models import Idea
from digikunta.participation.tests.factories import (
    KUOPIO,
    IdeaFactory,
    ProcessFactory,
    declare_resident,
)

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


def test_published_processes_are_open_data_and_drafts_are_not(client):
    published = ProcessFactory()
    ProcessFactory(published_at=None)
    body = client.get("/api/v1/processes").json()
    assert [p["slug"] for p in body["results"]] == [published.slug]
    assert body["results"][0]["municipalities"] == [KUOPIO]
    assert len(body["results"][0]["phases"]) == 4


def test_ideas_filter_by_municipality_process_and_answer(client):
    idea = IdeaFactory()
    IdeaFactory(process=ProcessFactory(published_at=None))
    body = client.get(f"/api/v1/ideas?municipality={KUOPIO}&answer=none").json()
    assert [i["id"] for i in body["results"]] == [idea.pk]
    assert client.get("/api/v1/ideas?municipality=091").json()["count"] == 0
    assert client.get(f"/api/v1/ideas?process={idea.process.slug}").json()["count"] == 1


def test_an_idea_has_its_support_count(client):
    idea = IdeaFactory()
    body = client.get(f"/api/v1/ideas/{idea.pk}").json()
    assert body["support_count"] == 0 and body["answer"] is None


def test_a_resident_declares_posts_and_supports_with_a_token(client, resident):
    process = ProcessFactory()
    headers = _auth(resident)
    response = client.put(
        f"/api/v1/processes/{process.slug}/declaration",
        {"basis": "resident", "municipality": KUOPIO},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and "Kuopio" in response.json()["statement"]
    response = client.post(
        "/api/v1/ideas",
        {"process": process.slug, "title": "Pyöräparkki asemalle", "body": "**Katos** myös."},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    idea_id = response.json()["id"]
    assert "<strong>Katos</strong>" in response.json()["body_html"]
    for _ in range(3):
        response = client.post(
            f"/api/v1/ideas/{idea_id}/support", content_type="application/json", **headers
        )
    assert response.json() == {"supported": True, "support_count": 1}
    response = client.delete(f"/api/v1/ideas/{idea_id}/support", **headers)
    assert response.json() == {"supported": False, "support_count": 0}


def test_support_by_someone_not_eligible_is_refused_in_their_language(client, outsider):
    idea = IdeaFactory()
    response = client.post(
        f"/api/v1/ideas/{idea.pk}/support",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fi",
        **_auth(outsider),
    )
    assert response.status_code == 422
    assert "Kuopio" in response.json()["errors"][0]["message"]
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_an_idea_in_a_hidden_process_is_not_found(client):
    idea = IdeaFactory(process=ProcessFactory(published_at=None))
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 404


def test_hostile_input_is_refused_and_nothing_is_written(client, resident):
    process = ProcessFactory()
    declare_resident(resident, process)
    headers = _auth(resident)
    for body in (
        {"process": process.slug, "title": "x" * 151, "body": "b"},
        {"process": process.slug, "title": "Paikka", "body": "b", "latitude": "1e400"},
        {"process": process.slug, "title": "Paikka", "body": "b", "latitude": 62.9},
    ):
        response = client.post("/api/v1/ideas", body, content_type="application/json", **headers)
        assert response.status_code == 422, body
    assert not Idea.objects.exists()
    assert (
        client.post(
            f"/api/v1/ideas/{2**70}/support", content_type="application/json", **headers
        ).status_code
        == 404
    )
