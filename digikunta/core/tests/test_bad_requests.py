"""Requests that no user makes by hand get a 4xx that says what is wrong, never a 500."""

import pytest
from django.urls import reverse

from digikunta.accounts.services import token_create
from digikunta.experiments.models import Experiment

pytestmark = pytest.mark.django_db

PAST_64_BITS = str(2**64 + 1)
PAGED_PAGES = [
    "/fi/municipalities/",
    "/fi/organisations/",
    "/fi/experiments/",
    "/fi/casebank/",
    "/sv/casebank/",
]
PAGED_API = [
    "/api/v1/municipalities",
    "/api/v1/regions",
    "/api/v1/organisations",
    "/api/v1/experiments",
    "/api/v1/calls",
]


@pytest.mark.parametrize("url", PAGED_PAGES)
@pytest.mark.parametrize("page", [PAST_64_BITS, "-" + PAST_64_BITS, "1e400", "NaN", "½"])
def test_a_page_number_past_64_bits_shows_a_real_page(client, url, page):
    response = client.get(url, {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("url", PAGED_API)
@pytest.mark.parametrize("page", [PAST_64_BITS, "9223372036854775807", "1e400"])
def test_an_api_page_number_past_64_bits_is_a_422_naming_page(client, url, page):
    response = client.get(url, {"page": page})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert [e["field"] for e in response.json()["errors"]] == ["page"]


@pytest.mark.parametrize("url", PAGED_API)
def test_a_page_past_the_end_is_empty(client, url):
    body = client.get(url, {"page": 999_999}).json()
    assert body["results"] == [] and body["next"] is None


def test_an_api_body_over_10_mb_is_a_413_in_json(client, member):
    token = token_create(user=member, name="t")[1]
    body = '{"title": "' + "a" * (10 * 1024 * 1024) + '"}'
    response = client.post(
        "/api/v1/experiments",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 413
    assert "10,1 Mt" in response.json()["detail"]
    assert not Experiment.objects.exists()


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_form_body_over_the_limit_is_a_413_page_in_the_users_language(client, member, encoding):
    from urllib.parse import urlencode

    client.force_login(member)
    form = {"title": "x" * (11 * 1024 * 1024), "summary": "Kort."}
    if encoding == "multipart":
        response = client.post("/sv/experiments/new/", form)
    else:
        response = client.post(
            "/sv/experiments/new/", urlencode(form), "application/x-www-form-urlencoded"
        )
    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>" in page and "10 MB" in page
    assert not Experiment.objects.exists()


def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_api_server_error_answers_the_documented_json(client, monkeypatch):
    """A bug must not answer the API's clients with an HTML page."""

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("digikunta.municipalities.api.municipalities_list", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/municipalities", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "went wrong on our side" in response.json()["detail"]


def test_a_page_server_error_is_still_an_html_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("digikunta.home.selectors.front_page", broken)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_an_api_body_that_is_not_json_is_a_415(client, member, content_type):
    token = token_create(user=member, name="t")[1]
    response = client.post(
        "/api/v1/experiments",
        '{"title": "Etäkokoukset", "summary": "Kokeillaan."}',
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["field"] == "Content-Type"
    assert not Experiment.objects.exists()
