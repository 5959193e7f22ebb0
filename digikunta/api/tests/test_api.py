"""The public API: OpenAPI document, one paging scheme, filters, translated errors, tokens."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import TOTP_SECRET
from digikunta.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in [
        "/api/v1/municipalities",
        "/api/v1/municipalities/{code}",
        "/api/v1/organisations",
    ]:
        assert path in paths
    assert document["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    assert paths["/api/v1/organisations"]["post"]["security"] == [{"TokenAuth": []}]
    assert "security" not in paths["/api/v1/organisations"]["get"]


def test_browsable_docs_list_every_operation_in_the_clients_language(client):
    response = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 302
    assert response["Location"] == "/sv/open-data/api/"
    html = client.get(response["Location"]).content.decode()
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method in item:
            assert f"<code>{method.upper()} {path}</code>" in html
    assert "MunicipalityOut" in html and "page_size" in html
    assert "<h1>API-referens</h1>" in html


def test_municipality_list_is_paged_with_the_total_count(client):
    body = client.get("/api/v1/municipalities", {"page_size": 100, "page": 2}).json()
    assert body["count"] == 308
    assert len(body["results"]) == 100
    assert body["next"] == "http://testserver/api/v1/municipalities?page=3&page_size=100"
    assert body["previous"] == "http://testserver/api/v1/municipalities?page=1&page_size=100"
    last = client.get("/api/v1/municipalities", {"page_size": 100, "page": 4}).json()
    assert len(last["results"]) == 8 and last["next"] is None


def test_every_list_pages_the_same_way(client):
    for url in ["/api/v1/municipalities", "/api/v1/regions", "/api/v1/organisations"]:
        body = client.get(url, {"page_size": 5}).json()
        assert set(body) == {"count", "next", "previous", "results"}, url
        assert len(body["results"]) == 5


def test_municipalities_filter_by_region_and_language_status(client):
    body = client.get(
        "/api/v1/municipalities", {"region": "21", "language_status": "unilingual_swedish"}
    ).json()
    assert body["count"] == 16
    assert all(m["region"]["code"] == "21" for m in body["results"])
    assert client.get("/api/v1/municipalities", {"region": "01"}).json()["count"] == 26


def test_municipality_detail_has_names_in_all_languages(client):
    body = client.get("/api/v1/municipalities/091").json()
    assert body["name"] == {"fi": "Helsinki", "sv": "Helsingfors", "en": "Helsinki"}
    assert body["region"]["code"] == "01"
    assert body["url"].endswith("/fi/municipalities/091/")


def test_unknown_municipality_is_a_json_404_in_the_clients_language(client):
    response = client.get("/api/v1/municipalities/999", HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 404
    assert response.json() == {"detail": "Ei löytynyt.", "errors": []}


def test_bad_query_parameters_are_named_in_the_clients_language(client):
    response = client.get(
        "/api/v1/municipalities",
        {"page_size": 1000, "language_status": "x"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 422
    body = response.json()
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"page_size", "language_status"}
    page_size = next(e for e in body["errors"] if e["field"] == "page_size")
    assert "500" in page_size["message"] and page_size["location"] == "query"
    assert "page_size" in body["detail"]
    assert page_size["message"] != "Enter a value of at most 500."  # translated


def test_writes_need_a_token(client):
    response = client.post(
        "/api/v1/organisations", {"kind": "company", "name": "Oy"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_holder_founds_an_organisation_and_becomes_its_admin(client, resident):
    _token, raw = token_create(user=resident, name="test")
    response = client.post(
        "/api/v1/organisations",
        {
            "kind": "company",
            "name": "Kokeilupaja Oy",
            "home_municipality": "091",
            "business_id": "1572860-0",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "kokeilupaja-oy" and body["home_municipality"] == "091"
    organisation = Organisation.objects.get(slug="kokeilupaja-oy")
    assert Membership.objects.get(organisation=organisation).user == resident
    # An organisation admin sees other people's data: the token waits for two-factor set-up.
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 403
    TOTP.activate(resident, TOTP_SECRET)
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert {"organisation": "kokeilupaja-oy", "role": "admin"} in me["memberships"]
    assert "email" not in me


def test_write_with_bad_input_names_the_fields_and_writes_nothing(client, resident):
    _token, raw = token_create(user=resident, name="test")
    response = client.post(
        "/api/v1/organisations",
        {"kind": "castle", "name": "", "home_municipality": "999"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"kind", "name"}
    response = client.post(
        "/api/v1/organisations",
        {"kind": "company", "name": "Oikea Oy", "home_municipality": "999"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "home_municipality",
            "location": "body",
            "code": "invalid",
            "message": "Millään kunnalla ei ole koodia 999.",
        }
    ]
    assert not Organisation.objects.filter(name="Oikea Oy").exists()


def test_malformed_json_is_a_422_not_a_crash(client, resident):
    _token, raw = token_create(user=resident, name="test")
    response = client.post(
        "/api/v1/organisations",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code in {400, 422}
    assert "detail" in response.json()


def test_a_wrong_token_is_refused(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer dk_not-a-real-token")
    assert response.status_code == 401


def test_a_token_of_a_deactivated_account_is_refused(client, resident):
    _token, raw = token_create(user=resident, name="test")
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_list_queries_do_not_grow_with_the_page_size(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/api/v1/municipalities", {"page_size": 500})
    with django_assert_max_num_queries(2):
        client.get("/api/v1/organisations", {"page_size": 500})


def test_api_root_links_to_everything(client):
    body = client.get("/api/v1/").json()
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    for name, url in body["endpoints"].items():
        if name != "me":
            assert client.get(url).status_code == 200, url
