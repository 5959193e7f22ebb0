import pytest

pytestmark = pytest.mark.django_db


def test_each_municipality_has_a_public_page(client):
    response = client.get("/sv/municipalities/905/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vasa</h1>" in html
    assert "Österbotten" in html
    assert 'href="/sv/organisations/vaasa/"' in html


def test_unknown_code_is_404(client):
    assert client.get("/fi/municipalities/999/").status_code == 404


def test_list_filters_by_region_and_language_status(client):
    response = client.get(
        "/en/municipalities/", {"region": "15", "language_status": "bilingual_swedish_majority"}
    )
    assert response.status_code == 200
    names = [m.name_fi for m in response.context["page"].object_list]
    assert "Pedersören kunta" in names and "Uusikaarlepyy" in names
    assert "Vaasa" not in names  # bilingual with a Finnish majority


def test_list_searches_finnish_and_swedish_names(client):
    page = client.get("/sv/municipalities/", {"q": "Helsingfors"}).context["page"]
    assert [m.code for m in page.object_list] == ["091"]


def test_bad_filter_is_a_400_with_the_field_named(client):
    response = client.get("/en/municipalities/", {"region": "99"})
    assert response.status_code == 400
    assert "Region" in response.content.decode()


def test_list_pages_without_queries_per_row(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/fi/municipalities/", {"page": "2"})
    assert len(response.context["page"].object_list) == 50
