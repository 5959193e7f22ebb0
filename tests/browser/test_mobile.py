"""At 390 px the navigation folds behind a menu button that opens and closes by keyboard
(issue 10); the header stays one row, at most 80 px high."""

from playwright.sync_api import expect


def test_the_menu_opens_and_closes_by_keyboard_on_a_phone(browser, live_server, axe):
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    for language, label in (("fi", "Valikko"), ("sv", "Meny")):
        page.goto(f"/{language}/casebank/")
        button = page.get_by_role("button", name=label)
        nav_link = page.locator("#main-nav-list a").first
        expect(button).to_be_visible()
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(nav_link).to_be_hidden()
        assert page.locator(".site-header").bounding_box()["height"] <= 80
        axe(page)

        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(nav_link).to_be_visible()
        expect(page.locator(".language-switcher")).to_be_visible()
        axe(page)
        page.keyboard.press("Tab")  # into the menu
        expect(page.locator(".site-header :focus")).to_have_count(1)

        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_be_focused()
        expect(nav_link).to_be_hidden()
    context.close()


def test_on_a_wide_screen_the_navigation_is_always_shown(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/fi/casebank/")
    expect(page.get_by_role("button", name="Valikko")).to_be_hidden()
    expect(page.locator("#main-nav-list a").first).to_be_visible()


def test_on_a_phone_the_case_bank_shows_results_first_and_folds_its_filters(
    browser, live_server, axe
):
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto("/fi/casebank/")
    disclosure = page.locator("details.filters-disclosure")
    expect(disclosure).not_to_have_attribute("open", "")
    expect(page.get_by_label("Hae", exact=True)).to_be_hidden()
    expect(page.locator("#results-title")).to_be_in_viewport()
    axe(page)
    page.get_by_text("Rajaa hakua").click()
    expect(page.get_by_label("Hae", exact=True)).to_be_visible()
    axe(page)
    context.close()
