"""Partners, target groups, life events, budget and needs: set by the form and by the API alike."""

import pytest

from digikunta.accounts.services import token_create
from digikunta.experiments.models import Experiment
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Kirjaston tilavaraus verkossa",
    "summary": "Kuntalaiset varaavat kirjaston tilat verkossa ja ovi aukeaa puhelimella.",
    "language": "fi",
}


def auth(user, language="en"):
    return {
        "HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}",
        "HTTP_ACCEPT_LANGUAGE": language,
    }


@pytest.fixture
def partner():
    return OrganisationFactory(name="Kirjastoyhdistys ry", slug="kirjastoyhdistys")


def test_the_form_sets_partners_and_the_page_shows_them(client, member, organisation, partner):
    kuopio = Organisation.objects.get(municipality_id="297")
    client.force_login(member)
    assert 'name="partners"' in client.get("/fi/experiments/new/").content.decode()
    response = client.post(
        "/fi/experiments/new/",
        {**NEW, "owner": organisation.pk, "partners": [partner.pk, kuopio.pk]},
    )
    assert response.status_code == 302
    experiment = Experiment.objects.get()
    assert set(experiment.partners.all()) == {partner, kuopio}
    page = client.get(experiment.get_absolute_url()).content.decode()
    assert "Kirjastoyhdistys ry" in page and "Kuopio" in page


def test_editing_changes_the_partners_and_never_offers_the_owner(
    client, member, organisation, partner
):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    experiment.partners.add(partner)
    client.force_login(member)
    form = client.get(f"/fi/experiments/{experiment.slug}/edit/").context["form"]
    assert organisation not in form.fields["partners"].queryset
    assert form.initial["partners"] == [partner]
    response = client.post(
        f"/fi/experiments/{experiment.slug}/edit/", {**NEW, "partners": [], "visibility": "public"}
    )
    assert response.status_code == 302
    assert not experiment.partners.exists()


def test_the_owner_as_its_own_partner_is_refused_keeping_what_was_typed(
    client, member, organisation
):
    client.force_login(member)
    response = client.post(
        "/en/experiments/new/", {**NEW, "owner": organisation.pk, "partners": [organisation.pk]}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "choose other organisations as its partners" in html
    assert NEW["summary"] in html
    assert not Experiment.objects.exists()


def test_the_api_create_takes_what_the_form_takes(client, member, organisation, partner):
    response = client.post(
        "/api/v1/experiments",
        {
            "owner": organisation.slug,
            **NEW,
            "description": "Kolme vaihetta.",
            "partners": [partner.slug],
            "target_groups": ["residents", "associations"],
            "life_events": ["BE-START"],
            "budget": "25000.50",
            "funding_sources": "Oma budjetti",
            "strategy_link": "Palvelut verkkoon",
            "needs": ["test_users", "funding"],
        },
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["partners"] == ["kirjastoyhdistys"]
    assert sorted(body["target_groups"]) == ["associations", "residents"]
    assert body["life_events"] == ["BE-START"]
    assert body["budget"] == "25000.50"
    assert body["needs"] == ["funding", "test_users"]
    assert body["description"] == "Kolme vaihetta."
    experiment = Experiment.objects.get(pk=body["id"])
    assert str(experiment.budget) == "25000.50" and experiment.funding_sources == "Oma budjetti"
    # The read gives the same.
    read = client.get(f"/api/v1/experiments/{experiment.pk}", **auth(member)).json()
    assert read["partners"] == ["kirjastoyhdistys"] and read["budget"] == "25000.50"


def test_the_api_patch_sets_and_clears_partners_and_budget(client, member, organisation, partner):
    experiment = ExperimentFactory(owner=organisation, budget=1000)
    TeamMemberFactory(experiment=experiment, user=member)
    url = f"/api/v1/experiments/{experiment.pk}"
    response = client.patch(
        url, {"partners": [partner.slug]}, content_type="application/json", **auth(member)
    )
    assert response.status_code == 200 and response.json()["partners"] == ["kirjastoyhdistys"]
    assert response.json()["budget"] == "1000.00"
    response = client.patch(
        url, {"partners": [], "budget": None}, content_type="application/json", **auth(member)
    )
    assert response.status_code == 200
    assert (response.json()["partners"], response.json()["budget"]) == ([], None)
    # A list sent as null leaves it as it is.
    experiment.partners.add(partner)
    response = client.patch(
        url, {"partners": None}, content_type="application/json", **auth(member)
    )
    assert response.status_code == 200 and response.json()["partners"] == ["kirjastoyhdistys"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("partners", ["ei-ole"], "No organisation has the address ei-ole."),
        ("target_groups", ["aliens"], "Unknown target group: aliens."),
        ("life_events", ["XX-NONE"], "Unknown life event: XX-NONE."),
        ("budget", "-5", "Enter a value of at least 0."),
        ("budget", "1234567890123", "Use at most 12 digits"),
        ("needs", ["money"], "Choose one of"),
    ],
)
def test_bad_values_are_named_and_nothing_is_written(
    client, member, organisation, field, value, message
):
    response = client.post(
        "/api/v1/experiments",
        {"owner": organisation.slug, **NEW, field: value},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert errors[0]["field"].split(".")[0] == field
    assert errors[0]["message"].startswith(message)
    assert not Experiment.objects.exists()


def test_the_owner_cannot_be_its_partner_in_the_api_either(client, member, organisation):
    response = client.post(
        "/api/v1/experiments",
        {"owner": organisation.slug, **NEW, "partners": [organisation.slug]},
        content_type="application/json",
        **auth(member, "fi"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "partners",
            "location": "body",
            "code": "invalid",
            "message": "Vastuuorganisaatio toteuttaa kokeilun: valitse kumppaneiksi muita "
            "organisaatioita.",
        }
    ]
    assert not Experiment.objects.exists()


def test_unknown_partners_are_refused_in_swedish(client, member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    response = client.patch(
        f"/api/v1/experiments/{experiment.pk}",
        {"partners": ["ei-ole"]},
        content_type="application/json",
        **auth(member, "sv"),
    )
    assert response.status_code == 422
    assert "ei-ole" in response.json()["errors"][0]["message"]
    assert not experiment.partners.exists()
