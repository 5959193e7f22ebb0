"""A lead's journey: create a draft, publish it, steps, indicator, lifecycle; another
municipality reuses it."""

import re

from PIL import Image
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Experiment
from digikunta.organisations.models import Membership, Organisation
from tests.browser.conftest import log_in


def test_lead_runs_an_experiment_to_evaluated_and_vaasa_reuses_it(
    page, visit, axe, browser, live_server, tmp_path
):
    lead = UserFactory(email="kehittaja@example.fi")
    Membership.objects.create(
        organisation=Organisation.objects.get(municipality_id="297"), user=lead
    )
    log_in(page, lead.email)

    visit("/fi/experiments/new/")
    page.locator("#id_title").fill("Kirjaston tilavaraus ja ovenavaus")
    page.locator("#id_summary").fill("Kuntalaiset varaavat kirjaston ryhmätilat verkossa.")
    page.locator("#id_needs input[value=test_users]").check()
    page.locator("#experiment-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kirjaston tilavaraus ja ovenavaus")
    axe(page)

    # A new experiment is a draft: an outsider finds it nowhere until the lead publishes it.
    experiment = Experiment.objects.get(title="Kirjaston tilavaraus ja ovenavaus")
    expect(page.locator(".panel--draft")).to_contain_text("Luonnos – ei julkaistu")
    outsider = browser.new_context(base_url=live_server.url)
    stranger = outsider.new_page()
    assert stranger.goto(page.url).status == 404
    stranger.goto("/fi/casebank/?q=ovenavaus")
    expect(stranger.locator("#results")).not_to_contain_text("Kirjaston tilavaraus")
    assert stranger.request.get(f"/api/v1/experiments/{experiment.pk}").status == 404
    page.locator(".panel--draft button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("julkaistiin")
    expect(page.locator(".panel--draft")).to_have_count(0)
    axe(page)
    assert stranger.goto(page.url).status == 200
    stranger.goto("/fi/casebank/?q=ovenavaus")
    expect(stranger.locator("#results")).to_contain_text("Kirjaston tilavaraus")
    assert stranger.request.get(f"/api/v1/experiments/{experiment.pk}").status == 200
    outsider.close()

    page.locator("#steps summary").click()
    page.locator("#steps #id_title").fill("Yksi tila, yksi kuukausi")
    page.locator("#steps button[type=submit]").last.click()
    expect(page.locator(".steps")).to_contain_text("Yksi tila, yksi kuukausi")

    page.locator("#indicators > details > summary").click()
    page.locator("#indicators #id_name").fill("Varaukset kuukaudessa")
    page.locator("#indicators #id_unit").fill("kpl")
    page.locator("#indicators #id_baseline").fill("12")
    page.locator("#indicators #id_target").fill("40")
    page.locator("#indicators > details button[type=submit]").click()
    for day, value in (("2026-09-30", "18"), ("2026-10-31", "33,5")):
        page.locator(".indicator details summary").first.click()
        page.locator(".indicator #id_measured_on").fill(day)
        page.locator(".indicator #id_value").fill(value)
        page.locator(".indicator details button[type=submit]").click()
    expect(page.locator(".indicator polyline")).to_have_count(1)
    expect(page.locator(".indicator table")).to_contain_text("33,50")
    axe(page)

    # A journal entry with a photo, documented lightly.
    photo = tmp_path / "ryhmatila.jpg"
    Image.new("RGB", (1200, 800), (40, 120, 80)).save(photo, format="JPEG")
    page.locator("#journal summary").click()
    page.locator("#journal-form #id_body").fill("Ensimmäinen viikko: **21 varausta**.")
    page.locator("#journal-form #id_photo").set_input_files(str(photo))
    page.locator("#journal-form #id_alt_text").fill("Ryhmätila, jossa on pyöreä pöytä")
    page.locator("#journal-form button[type=submit]").click()
    entry = page.locator(".journal-entry").first
    expect(entry.locator("strong")).to_have_text("21 varausta")
    expect(entry.locator("img")).to_have_attribute("alt", "Ryhmätila, jossa on pyöreä pöytä")
    # Wait for the image itself: under load it can arrive after the entry is shown.
    entry.locator("img").scroll_into_view_if_needed()
    assert entry.locator("img").evaluate("img => img.decode().then(() => img.naturalWidth)") == 800
    axe(page)

    for stage in ("planned", "running"):
        page.locator("#id_to").select_option(stage)
        page.locator("#transition-form button[type=submit]").click()
    page.locator("#id_to").select_option("ended")
    page.locator("#transition-form button[type=submit]").click()
    expect(page.locator("#transition-form .error-summary")).to_be_visible()  # results missing
    axe(page)
    page.locator("#id_outcome").select_option("partly")
    page.locator("#id_results").fill("Varaukset lähes kolminkertaistuivat.")
    page.locator("#transition-form button[type=submit]").click()
    page.locator("#id_to").select_option("evaluated")
    page.locator("#id_lessons").fill("Aloita yhdellä tilalla ja kysy käyttäjiltä joka viikko.")
    page.locator("#transition-form button[type=submit]").click()
    expect(page.locator(".panel--results")).to_contain_text("kysy käyttäjiltä")
    expect(page.locator(".timeline li")).to_have_count(5)
    axe(page)
    url = page.url

    # Another municipality starts a similar experiment from it.
    other = UserFactory(email="utvecklare@example.fi")
    Membership.objects.create(
        organisation=Organisation.objects.get(municipality_id="905"), user=other
    )
    context = browser.new_context(base_url=live_server.url)
    page2 = context.new_page()
    log_in(page2, other.email, lang="sv")
    page2.goto(re.sub(r"^.*?/fi/", "/sv/", url))
    page2.locator("a[href$='/reuse/']").click()
    axe(page2)
    page2.locator("form.form button[type=submit]").click()
    expect(page2).to_have_url(re.compile(r"/sv/experiments/.+/edit/$"))
    axe(page2)
    copy = Experiment.objects.get(reused_from__isnull=False)
    assert copy.owner.municipality_id == "905"
    assert copy.steps.count() == 1 and copy.indicators.count() == 1
    # The copy is a draft: the original lists it once its lead publishes it.
    page.reload()
    expect(page.locator("main")).not_to_contain_text(copy.title)
    page2.goto(f"/sv/experiments/{copy.slug}/")
    page2.locator(".panel--draft button[type=submit]").click()
    expect(page2.locator(".panel--draft")).to_have_count(0)
    context.close()
    page.reload()
    expect(page.locator("main")).to_contain_text(copy.title)
