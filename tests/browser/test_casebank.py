"""A resident finds an experiment in the case bank by an inflected Finnish word."""

from playwright.sync_api import expect

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments import services
from digikunta.organisations.models import Organisation


def test_resident_finds_an_experiment_by_an_inflected_query(page, visit, axe):
    lead = UserFactory()
    kuopio = Organisation.objects.get(municipality_id="297")
    services.experiment_create(
        by=lead,
        owner=kuopio,
        title="Tilavarausjärjestelmä kirjastoon",
        summary="Kokeilimme kulunvalvontaa ja maksamista yhdessä palvelussa.",
        visibility="public",
    )
    services.experiment_create(
        by=lead, owner=kuopio, title="Etäkokoukset", summary="Lautakunnat.", visibility="public"
    )
    visit("/fi/casebank/")
    page.get_by_label("Hae", exact=True).fill("tilavarauksen")
    page.get_by_label("Hae", exact=True).press("Enter")
    results = page.locator("#results")
    expect(results.locator(".card")).to_have_count(1)
    expect(results).to_contain_text("Tilavarausjärjestelmä kirjastoon")
    axe(page)
    page.get_by_label("Hae", exact=True).fill("kulunvalvonnan")
    page.get_by_label("Hae", exact=True).press("Enter")
    expect(results.locator("mark")).to_have_text("kulunvalvontaa")
    results.get_by_role("link", name="Tilavarausjärjestelmä kirjastoon").click()
    expect(page.locator("h1")).to_have_text("Tilavarausjärjestelmä kirjastoon")
    axe(page)
