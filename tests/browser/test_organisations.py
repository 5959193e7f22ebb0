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


def test_a_resident_asks_to_join_kuopio_and_an_administrator_approves(
    page, visit, axe, browser, live_server
):
    from digikunta.organisations.models import Membership, MembershipRole, Organisation

    kuopio = Organisation.objects.get(municipality_id="297")
    admin = UserFactory(email="kuopio-admin@example.fi", totp=True, language="sv")
    Membership.objects.create(organisation=kuopio, user=admin, role=MembershipRole.ADMIN)
    resident = UserFactory(email="asukas@example.fi", name="Aino Asukas")

    # Starting an experiment without an organisation leads to one, not to a dead end.
    log_in(page, resident.email)
    page.goto("/fi/experiments/new/")
    expect(page.locator(".messages")).to_contain_text("pyydä jäsenyyttä")
    visit("/fi/organisations/kuopio/")
    page.get_by_role("link", name="Pyydä jäsenyyttä").click()
    axe(page)
    page.get_by_label("Viesti ylläpitäjille").fill("Vedän kirjaston digitukea.")
    page.locator("#join-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Pyyntösi lähetettiin")
    expect(page.locator("main")).to_contain_text("Ylläpitäjät eivät ole vielä vastanneet")
    axe(page)
    request_mail = next(m for m in mail.outbox if m.to == [admin.email])
    assert "Aino Asukas" in request_mail.subject and "på Digikunta" in request_mail.subject

    context = browser.new_context(base_url=live_server.url, locale="sv-FI")
    admin_page = context.new_page()
    log_in(admin_page, admin.email, lang="sv", totp_secret=TOTP_SECRET)
    admin_page.goto(re.search(r"http://\S+/members/", request_mail.body)[0])
    expect(admin_page.locator("#join-requests-title")).to_be_visible()
    axe(admin_page)
    admin_page.get_by_role("button", name="Godkänn Aino Asukas").click()
    expect(admin_page.locator(".messages")).to_contain_text("Aino Asukas är nu medlem")
    axe(admin_page)
    context.close()

    assert Membership.objects.filter(organisation=kuopio, user=resident).exists()
    assert any(m.to == [resident.email] and "jäsen" in m.subject for m in mail.outbox)
    page.goto("/fi/experiments/new/")
    expect(page.locator("h1")).to_be_visible()
    assert "/experiments/new/" in page.url  # now they can start one
