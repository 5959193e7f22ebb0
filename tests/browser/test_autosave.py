"""The application saves itself after a pause in typing, without leaving the field, and a reload
never loses what was typed (issue 10, item 9)."""

import re

import pytest
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import Application
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.models import Membership, Organisation
from tests.browser.conftest import log_in


@pytest.fixture
def application():
    lead = UserFactory(email="kalle@example.fi", name="Kalle Kehittäjä")
    kuopio = Organisation.objects.get(slug="kuopio")
    Membership.objects.create(organisation=kuopio, user=lead)
    experiment = ExperimentFactory(owner=kuopio, status=Status.RUNNING)
    experiment.team.create(user=lead, role="lead")
    return services.application_create(call=CallFactory(), experiment=experiment, by=lead)


def open_form(browser, live_server, application, lang="fi"):
    context = browser.new_context(
        base_url=live_server.url, locale=f"{lang}-FI", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "kalle@example.fi", lang=lang)
    page.goto(f"/{lang}/funding/applications/{application.pk}/edit/")
    return context, page


def summary_now(application):
    return Application.objects.get(pk=application.pk).summary


def saved_eventually(page, application, text):
    """The server has ``text`` within 10 seconds (a save runs 1.5 s after typing pauses)."""
    for _attempt in range(50):
        if summary_now(application) == text:
            return True
        page.wait_for_timeout(200)
    return False


def type_at_end(page, locator, text):
    locator.focus()
    page.keyboard.press("Control+End")
    locator.press_sequentially(text)


def test_a_pause_in_typing_saves_without_leaving_the_field(browser, live_server, axe, application):
    context, page = open_form(browser, live_server, application)
    axe(page)
    summary = page.locator("#id_summary")
    summary.fill("")
    summary.press_sequentially("Ryhmätilat varattaviksi verkossa.")
    status = page.locator("#autosave [role=status]")
    expect(status).to_have_text(re.compile(r"^Luonnos tallennettu klo \d{1,2}[.:]\d{2}\.$"))
    expect(summary).to_be_focused()  # saved while still in the field
    assert summary_now(application) == "Ryhmätilat varattaviksi verkossa."

    type_at_end(page, summary, " Ovet aukeavat puhelimella.")
    full = "Ryhmätilat varattaviksi verkossa. Ovet aukeavat puhelimella."
    assert saved_eventually(page, application, full)
    expect(status).to_have_text(re.compile(r"^Luonnos tallennettu"))
    page.reload()
    expect(summary).to_have_value("Ryhmätilat varattaviksi verkossa. Ovet aukeavat puhelimella.")
    expect(page.locator(".autosave-restore")).to_be_hidden()  # nothing unsaved to bring back
    axe(page)
    context.close()


def test_text_typed_while_saving_fails_comes_back_after_a_reload(
    browser, live_server, axe, application
):
    context, page = open_form(browser, live_server, application)
    before = summary_now(application)
    edit = re.compile(r".*/edit/$")
    page.route(
        edit,
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    summary = page.locator("#id_summary")
    type_at_end(page, summary, " Ei yhteyttä.")
    status = page.locator("#autosave [role=status]")
    expect(status).to_have_text(re.compile(r"^Ei vielä tallennettu: ei yhteyttä\."))
    assert summary_now(application) == before
    axe(page)

    page.unroute(edit)
    page.reload()
    notice = page.locator(".autosave-restore")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("ei ollut tallennettu. Se on palautettu lomakkeelle")
    expect(summary).to_have_value(before + " Ei yhteyttä.")
    assert saved_eventually(page, application, before + " Ei yhteyttä.")
    expect(status).to_have_text(re.compile(r"^Luonnos tallennettu"))
    axe(page)

    page.reload()  # saved now: nothing is brought back twice
    expect(summary).to_have_value(before + " Ei yhteyttä.")
    expect(notice).to_be_hidden()
    context.close()


def test_unsaved_text_is_offered_when_the_application_was_saved_since_in_swedish(
    browser, live_server, axe, application
):
    context, page = open_form(browser, live_server, application, lang="sv")
    edit = re.compile(r".*/edit/$")
    page.route(
        edit,
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    summary = page.locator("#id_summary")
    summary.fill("Min text som inte sparades.")
    expect(page.locator("#autosave [role=status]")).to_have_text(
        re.compile(r"^Inte sparat ännu: ingen förbindelse\.")
    )
    # Meanwhile a colleague saves the application.
    services.application_save(
        application=application,
        by=application.experiment.team.get().user,
        summary="Kollegans text.",
    )
    page.unroute(edit)
    page.reload()
    notice = page.locator(".autosave-restore")
    expect(notice).to_contain_text("Vill du ha tillbaka din text?")
    expect(summary).to_have_value("Kollegans text.")
    axe(page)
    notice.get_by_role("button", name="Återställ min text").click()
    expect(summary).to_have_value("Min text som inte sparades.")
    expect(notice).to_be_hidden()
    assert saved_eventually(page, application, "Min text som inte sparades.")
    expect(page.locator("#autosave [role=status]")).to_have_text(re.compile(r"^Utkastet sparades"))
    context.close()
