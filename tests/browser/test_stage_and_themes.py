"""Ending an experiment asks for outcome and results, evaluating for lessons only; a
coordinator manages the themes. axe-core on every state visited."""

from playwright.sync_api import expect

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.experiments import services
from digikunta.experiments.models import Experiment, Theme
from digikunta.organisations.models import Membership, Organisation
from tests.browser.conftest import log_in


def test_ending_asks_for_outcome_and_results_and_evaluating_for_lessons(page, visit, axe):
    lead = UserFactory(email="vetaja@example.fi")
    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=lead)
    experiment = services.experiment_create(
        by=lead, owner=kuopio, title="Koulukyydit sovelluksella", summary="Reitit ja sijainti."
    )
    services.step_save(experiment=experiment, title="Yksi reitti")
    for stage in ("planned", "running"):
        services.experiment_transition(experiment=experiment, to=stage, by=lead)
    log_in(page, lead.email)
    visit(f"/fi/experiments/{experiment.slug}/")

    form = page.locator("#transition-form")
    expect(form.locator("#id_outcome")).to_have_attribute("required", "")
    expect(form.locator("#id_results")).to_have_attribute("required", "")
    expect(form.locator("#id_lessons")).to_have_count(0)

    form.locator("button[type=submit]").click()
    summary = page.locator("#transition-form .error-summary")
    expect(summary).to_contain_text("Valitse lopputulos ennen kuin päätät kokeilun")
    expect(summary).to_contain_text("Kirjoita tulokset ennen kuin päätät kokeilun")
    axe(page)
    # The summary's links lead to the fields.
    summary.locator("a[href='#id_results']").click()
    expect(page.locator("#id_results")).to_be_focused()

    page.locator("#id_outcome").select_option("partly")
    page.locator("#id_results").fill("Odotus lyheni neljännekseen.")
    page.locator("#transition-form button[type=submit]").click()
    expect(page.locator(".panel--results")).to_contain_text("Odotus lyheni")

    # Evaluating asks for the lessons only.
    form = page.locator("#transition-form")
    expect(form.locator("#id_lessons")).to_have_attribute("required", "")
    expect(form.locator("#id_results")).to_have_count(0)
    expect(form.locator("#id_outcome")).to_have_count(0)
    axe(page)
    page.locator("#id_lessons").fill("Aloita yhdellä reitillä.")
    page.locator("#transition-form button[type=submit]").click()
    expect(page.locator(".panel--results")).to_contain_text("Aloita yhdellä reitillä.")

    # Evaluated: the step never settled is flagged, and spreading waits for a reuse elsewhere.
    expect(page.locator("#leftover-steps")).to_contain_text("Yksi reitti")
    expect(page.locator("#transition-form")).to_have_count(0)
    expect(page.locator("#stage")).to_contain_text("toinen organisaatio")
    axe(page)
    assert Experiment.objects.get(pk=experiment.pk).status == "evaluated"


def test_a_coordinator_adds_renames_and_merges_themes(page, visit, axe):
    coordinator = UserFactory(email="kirsi@example.fi", roles=[PlatformRole.COORDINATOR], totp=True)
    experiment = services.experiment_create(
        by=UserFactory(),
        owner=Organisation.objects.get(municipality_id="297"),
        title="Kirjaston chat",
        summary="Chat kirjastossa.",
        themes=[Theme.objects.get(slug="automation")],
    )
    log_in(page, coordinator.email, lang="sv", totp_secret=TOTP_SECRET)
    visit("/sv/experiments/themes/")
    expect(page.locator("table")).to_contain_text("Automation och artificiell intelligens")

    page.locator("#id_name_fi").fill("Tekoäly")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("Skriv namnet också på svenska")
    expect(page.locator("#id_name_fi")).to_have_value("Tekoäly")
    axe(page)
    page.locator("#id_name_sv").fill("Artificiell intelligens")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Temat ”Artificiell intelligens” lades till.")
    axe(page)

    automation = Theme.objects.get(slug="automation")
    visit(f"/sv/experiments/themes/{automation.pk}/")
    page.locator("#id_into").select_option(label="Artificiell intelligens")
    page.locator("#merge button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("ett försök flyttades")
    axe(page)
    assert list(experiment.themes.values_list("slug", flat=True)) == ["tekoaly"]
    automation.refresh_from_db()
    assert automation.is_retired
