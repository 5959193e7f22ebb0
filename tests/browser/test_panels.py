"""A citizens' panel (kuntaraati) is drawn by lot in public: the organiser draws with a seed,
the draw page lists the members, and re-running the draw with the same seed gives the same
members; the pages pass axe-core in Finnish and Swedish, at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import TOTP_SECRET
from digikunta.panels import services
from digikunta.panels.models import VolunteerStatus
from digikunta.panels.tests.factories import PanelFactory, manager_of, resident_of, volunteers
from tests.browser.conftest import log_in

SEED = "Lotto 14.6.2025: 3 8 14 22 27 31 36"
WIDTHS = [1280, 390]


def fits(page, width):
    """Nothing sticks out sideways, on a phone too (a wide table scrolls in its own box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.fixture
def panel():
    """A closed panel of six seats with 24 volunteers in four groups, registered already."""
    panel = PanelFactory(
        closed=True,
        seats=6,
        title="Kuopion kuntaraati 2025",
        title_sv="Kuopios invånarpanel 2025",
        seed_plan="Lotto-arvonta 14.6.2025, päänumerot",
    )
    volunteers(
        panel, {("15-24", "fi"): 4, ("25-44", "fi"): 8, ("45-64", "sv"): 6, ("65+", "fi"): 6}
    )
    return panel


def test_the_organiser_draws_and_the_same_seed_draws_the_same_members_again(
    page, visit, axe, panel
):
    manager = manager_of(panel.process)
    log_in(page, manager.email, totp_secret=TOTP_SECRET)
    visit(f"/fi/panels/{panel.pk}/manage/")
    page.get_by_label("Siemen").fill(SEED)
    page.get_by_role("button", name="Arvo raati").click()
    expect(page).to_have_url(re.compile(rf"/fi/panels/{panel.pk}/draw/$"))
    expect(page.locator(".message--success")).to_contain_text("Raati arvottiin siemenellä")
    axe(page)

    drawn = list(
        panel.volunteers.filter(status=VolunteerStatus.DRAWN).values_list("code", flat=True)
    )
    assert len(drawn) == 6
    members = page.locator("#members")
    for code in drawn:
        expect(members).to_contain_text(code)
    expect(page.locator("main")).to_contain_text(SEED)

    page.get_by_role("link", name="Toista arvonta tässä").click()
    page.get_by_label("Siemen").fill(SEED)
    page.get_by_role("button", name="Arvo", exact=True).click()
    expect(page.locator("#result")).to_contain_text("Samat jäsenet kuin julkaistussa arvonnassa.")
    listed = page.locator("#verified-members li").all_inner_texts()
    assert sorted(listed) == sorted(drawn)
    axe(page)

    page.get_by_label("Siemen").fill("toinen siemen")
    page.get_by_role("button", name="Arvo", exact=True).click()
    expect(page.locator("#result")).to_contain_text("Eri jäsenet kuin julkaistussa arvonnassa.")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_panel_s_pages_pass_axe_core(page, visit, axe, panel, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    manager = manager_of(panel.process)
    services.panel_draw(panel=panel, by=manager, seed=SEED)
    services.invitations_send(panel=panel)
    title = "Kuopion kuntaraati 2025" if lang == "fi" else "Kuopios invånarpanel 2025"
    visit(f"/{lang}/panels/{panel.pk}/")
    expect(page.locator("h1")).to_have_text(title)
    fits(page, width)
    visit(f"/{lang}/panels/{panel.pk}/draw/")
    expect(page.locator("main")).to_contain_text(SEED)
    fits(page, width)
    visit(f"/{lang}/panels/{panel.pk}/draw/verify/?seed=x&seats=6")
    expect(page.locator("#verified-members li")).to_have_count(6)
    fits(page, width)
    log_in(page, manager.email, lang=lang, totp_secret=TOTP_SECRET)
    visit(f"/{lang}/panels/{panel.pk}/manage/")
    expect(page.locator("main table").first).to_contain_text("V-")
    fits(page, width)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_resident_sees_the_registration_form_that_passes_axe_core(page, visit, lang):
    open_panel = PanelFactory(stratify_by=["age_band", "area", "language", "gender"])
    person = resident_of(open_panel.process, language=lang)
    log_in(page, person.email, lang=lang)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        visit(f"/{lang}/panels/{open_panel.pk}/")
        expect(page.locator("#volunteer-form")).to_be_visible()
    # A missing answer is said by its field, in the reader's language.
    page.get_by_role("button", name="Ilmoittaudu" if lang == "fi" else "Anmäl dig").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Valitse ikäryhmäsi." if lang == "fi" else "Välj din åldersgrupp."
    )
