"""An organisation is founded, corrected after an error, and a person invited accepts."""

import re

from django.core import mail
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from tests.browser.conftest import log_in


def test_found_an_organisation_fix_an_error_and_invite_a_member_who_accepts(page, visit, axe):
    founder = UserFactory(email="perustaja@example.fi", totp=True)
    UserFactory(email="jasen@example.fi", name="Jaana Jäsen")
    # Founding makes one an administrator, which requires two-factor authentication (0004).
    log_in(page, founder.email, totp_secret=TOTP_SECRET)
    visit("/fi/organisations/new/")
    page.get_by_label("Tyyppi").select_option("association")
    page.locator("#id_name").fill("Kyläkoulun digitukiyhdistys ry")
    page.get_by_label("Y-tunnus").fill("1234567-8")
    page.locator("#organisation-form button[type=submit]").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Y-tunnus")
    expect(page.locator("#id_name")).to_have_value("Kyläkoulun digitukiyhdistys ry")
    expect(page.get_by_label("Y-tunnus")).to_have_attribute("aria-invalid", "true")
    axe(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Y-tunnus")).to_be_focused()

    page.get_by_label("Y-tunnus").fill("1572860-0")
    page.locator("#organisation-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kyläkoulun digitukiyhdistys ry")
    axe(page)

    page.get_by_role("link", name="Hallitse jäseniä").click()
    expect(page).to_have_url(re.compile(r"/members/$"))
    axe(page)
    page.get_by_label("Sähköpostiosoite").fill("jasen@example.fi")
    page.locator("#id_role").select_option("member")
    page.locator("#members form.form button[type=submit]").click()
    # The same answer whether or not the address has an account; nobody is added yet (issue 8).
    expect(page.locator(".messages")).to_contain_text("jasen@example.fi")
    expect(page.locator("table").first).not_to_contain_text("Jaana Jäsen")
    expect(page.locator("#members")).to_contain_text("jasen@example.fi")
    axe(page)

    invitation = [m for m in mail.outbox if m.to == ["jasen@example.fi"]][-1]
    link = re.search(r"https?://[^/\s]+(/\S+/mine/invitations/\S+/)", invitation.body).group(1)
    page.context.clear_cookies()
    log_in(page, "jasen@example.fi")
    visit(link)
    expect(page.locator("h1")).to_contain_text("Kyläkoulun digitukiyhdistys ry")
    page.locator("button[name=answer][value=accept]").click()
    expect(page.locator("h1")).to_have_text("Kyläkoulun digitukiyhdistys ry")
    expect(page.locator("#members-title + .table-wrap table")).to_contain_text("Jaana Jäsen")
    axe(page)
    visit("/fi/organisations/mine/invitations/")
    expect(page.locator("button[name=answer]")).to_have_count(0)
