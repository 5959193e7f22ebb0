"""The front page shows the work, in Finnish and Swedish, axe-core clean; its search box leads
into the case bank; a coordinator chooses the month's experiment and everyone sees it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.experiments import services
from digikunta.funding.tests.factories import CallFactory
from digikunta.home.models import ExperimentOfTheMonth
from digikunta.organisations.models import Organisation
from tests.browser.conftest import log_in


@pytest.fixture
def work():
    lead = UserFactory()
    kuopio = Organisation.objects.get(municipality_id="297")
    booking = services.experiment_create(
        by=lead,
        owner=kuopio,
        title="Tilavarausjärjestelmä kirjastoon",
        summary="Kokeilimme kulunvalvontaa ja maksamista yhdessä palvelussa.",
        visibility="public",
    )
    for stage in ["planned", "running"]:
        services.experiment_transition(experiment=booking, to=stage, by=lead)
    services.experiment_transition(
        experiment=booking,
        to="ended",
        by=lead,
        results="Ideoita tuli vain 14.",
        outcome="did_not_succeed",
    )
    services.experiment_create(
        by=lead,
        owner=Organisation.objects.get(municipality_id="905"),
        title="Digital rådgivning för äldre",
        summary="Frivilliga hjälper äldre med e-tjänster.",
        language="sv",
        visibility="public",
    )
    CallFactory(title="Digikokeilujen pikakaista", title_sv="Snabbspår för digitala försök")
    return booking


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("fi", ["Tuoreimmat tulokset", "Ei onnistunut", "Digikokeilujen pikakaista"]),
        ("sv", ["De senaste resultaten", "Lyckades inte", "Snabbspår för digitala försök"]),
    ],
)
def test_the_front_page_shows_the_work_and_passes_axe_core(page, visit, work, lang, texts):
    ExperimentOfTheMonth.objects.create(
        month=timezone.localdate().replace(day=1),
        experiment=work,
        citation_fi="Rohkea kokeilu, josta muut oppivat.",
        citation_sv="Ett modigt försök som andra lär sig av.",
    )
    visit(f"/{lang}/")
    for text in texts:
        expect(page.locator("main")).to_contain_text(text)
    month = page.locator("section.month")
    expect(month).to_contain_text("Tilavarausjärjestelmä kirjastoon")
    citation = "Rohkea kokeilu" if lang == "fi" else "Ett modigt försök"
    expect(month.locator("blockquote")).to_contain_text(citation)
    expect(page.locator(f'main [lang="{lang}"]').first).to_be_attached()


def test_the_search_box_leads_into_the_case_bank(page, visit, axe, work):
    visit("/fi/")
    search = page.get_by_label("Mitä muualla on jo kokeiltu? Hae casepankista")
    search.fill("tilavarauksen")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/fi/casebank/\?q=tilavarauksen$"))
    expect(page.locator("#results .card")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Tilavarausjärjestelmä kirjastoon")
    axe(page)


def test_a_coordinator_chooses_the_month_s_experiment(page, visit, axe, work):
    coordinator = UserFactory(roles=[PlatformRole.COORDINATOR], totp=True, language="sv")
    log_in(page, coordinator.email, lang="sv", totp_secret=TOTP_SECRET)
    visit("/sv/experiment-of-the-month/choose/")
    page.get_by_role("link", name=re.compile("Välj.*Tilavarausjärjestelmä")).click()
    expect(page.get_by_role("textbox", name="Försök")).to_have_value(work.slug)
    page.get_by_label("Motivering på finska").fill("Rohkea kokeilu, josta muut oppivat.")
    page.get_by_label("Motivering på svenska").fill("Ett modigt försök som andra lär sig av.")
    page.get_by_role("button", name="Välj", exact=True).click()
    expect(page.locator(".message--success")).to_contain_text("är månadens försök")
    axe(page)

    visit(work.get_absolute_url().replace("/fi/", "/sv/"))
    expect(page.locator(".recognition")).to_contain_text("Ett modigt försök som andra lär sig av.")
    page.get_by_role("link", name="Alla månadens försök").click()
    expect(page.locator("h1")).to_have_text("Månadens försök")
    expect(page.locator("main")).to_contain_text("Tilavarausjärjestelmä kirjastoon")
    axe(page)
