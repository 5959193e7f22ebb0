"""Key journeys of people and accounts, in a real browser, with axe-core on every page."""

import re

from django.core import mail
from playwright.sync_api import expect

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from digikunta.demo.people import current_code
from tests.browser.conftest import confirmation_link, log_in


def test_sign_up_verify_log_in_and_switch_language(page, visit, axe):
    visit("/fi/")
    page.get_by_role("link", name="Rekisteröidy").first.click()
    expect(page).to_have_url(re.compile(r"/fi/account/signup/$"))
    axe(page)
    page.get_by_label("Sähköposti").fill("uusi.asukas@example.fi")
    page.locator("#id_password1").fill("vahva-salasana-2026")
    page.locator("#id_password2").fill("vahva-salasana-2026")
    page.locator("form.form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/fi/account/confirm-email/$"))
    axe(page)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["uusi.asukas@example.fi"]
    visit(confirmation_link(mail.outbox[0].body))
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Oma Digikunta")  # a new person lands here too
    axe(page)

    page.get_by_role("button", name="Kirjaudu ulos").click()
    visit("/fi/account/login/")
    page.get_by_label("Sähköposti").fill("uusi.asukas@example.fi")
    page.get_by_label("Salasana").fill("vahva-salasana-2026")
    page.locator("form.form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Oma Digikunta")  # where a login lands
    axe(page)
    page.get_by_role("link", name="Tilin asetukset").click()
    expect(page.locator("h1")).to_have_text("Tilisi")

    # The switcher keeps the page: fi → sv → en.
    page.get_by_role("link", name="Svenska").click()
    expect(page).to_have_url(re.compile(r"/sv/account/settings/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Ditt konto")
    axe(page)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/account/settings/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Your account")
    axe(page)


def test_a_failed_login_shows_an_error_summary_and_keeps_the_address(page, visit, axe):
    UserFactory(email="maija@example.fi")
    visit("/sv/account/login/")
    page.get_by_label("E-post").fill("maija@example.fi")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.locator("form.form button[type=submit]").first.click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("E-post")).to_have_value("maija@example.fi")
    axe(page)


def test_staff_member_logs_in_with_a_second_factor(page, visit, axe):
    UserFactory(email="koordinaattori@example.fi", roles=[PlatformRole.COORDINATOR], totp=True)
    log_in(page, "koordinaattori@example.fi")
    expect(page).to_have_url(re.compile(r"/fi/account/2fa/authenticate/$"))
    axe(page)
    page.locator("#id_code").fill(current_code(TOTP_SECRET))
    page.locator("form.form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Oma Digikunta")


def test_new_staff_member_must_set_up_two_factor(page, visit, axe):
    UserFactory(email="arvioija@example.fi", roles=[PlatformRole.REVIEWER])
    visit("/en/account/login/")
    page.get_by_label("Email").fill("arvioija@example.fi")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").first.click()
    # Sent to set up an authenticator, after confirming the password once more.
    expect(page).to_have_url(re.compile(r"/en/account/reauthenticate/"))
    axe(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/en/account/2fa/totp/activate/$"))
    axe(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(current_code(secret))
    page.locator("form.form button[type=submit]").first.click()
    expect(page.locator("h1")).to_be_visible()
    axe(page)
    visit("/en/organisations/")  # no longer redirected


def test_api_token_is_created_in_settings_and_shown_once(page, visit, axe):
    UserFactory(email="kehittaja@example.fi")
    log_in(page, "kehittaja@example.fi")
    visit("/fi/account/settings/tokens/")
    page.get_by_label("Nimi").fill("Kunnan asianhallinta")
    page.get_by_role("button", name="Luo avain").last.click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("dk_")
    axe(page)
    visit("/fi/account/settings/data/")
