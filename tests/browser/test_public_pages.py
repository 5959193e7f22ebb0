"""Public pages in all three languages: axe-core clean, keyboard-usable, fit a 320 px screen."""

import re

import pytest
from playwright.sync_api import expect

PAGES = [
    "/{lang}/",
    "/{lang}/casebank/",
    "/{lang}/casebank/top-10/",
    "/{lang}/experiment-of-the-month/",
    "/{lang}/experiments/",
    "/{lang}/municipalities/",
    "/{lang}/municipalities/091/",
    "/{lang}/organisations/",
    "/{lang}/organisations/helsinki/",
    "/{lang}/privacy/",
    "/{lang}/accessibility/",
    "/{lang}/open-data/",
    "/{lang}/open-data/api/",
    "/{lang}/account/login/",
    "/{lang}/account/signup/",
    "/{lang}/account/password/reset/",
]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_public_page_passes_axe_core(page, visit, lang):
    for path in PAGES:
        visit(path.format(lang=lang))
    visit(f"/{lang}/no-such-page/", status=404)


def test_pages_fit_a_320_pixel_wide_screen(page, visit):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PAGES:
        visit(path.format(lang="fi"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, visit):
    visit("/fi/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate("document.activeElement.id") == "main"


def test_filters_update_the_list_in_place_and_the_address(page, visit, axe):
    visit("/fi/municipalities/")
    expect(page.locator("#results-title")).to_contain_text("308")
    page.get_by_label("Maakunta").select_option("21")
    expect(page.locator("#results-title")).to_contain_text("16")
    expect(page).to_have_url(re.compile(r"region=21"))
    expect(page.locator("#results")).to_contain_text("Maarianhamina")
    axe(page)


def test_filters_work_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sv/municipalities/")
    page.get_by_label("Landskap").select_option("21")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("#results-title")).to_contain_text("16")
    context.close()


def test_pages_load_nothing_from_the_internet(page, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for path in ["/api/v1/docs", "/fi/", "/fi/account/login/"]:
        page.goto(path)
    assert requests and all(url.startswith((live_server.url, "data:")) for url in requests)
