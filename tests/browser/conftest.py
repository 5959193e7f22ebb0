"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited."""

import os
import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The suite runs two browser tests at once beside the rest on a shared machine: a page that
# takes more than expect()'s 5 s default under that load is slow there, not broken. The same
# 10 s as the pages' default timeout (the `page` fixture below).
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does it as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every browser test runs on a live server, which flushes the database after it."""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


class AxeChecker:
    """Runs axe-core (shipped in axe-playwright-python); fails on any WCAG 2.1 AA violation."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page) -> None:
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        self.checked.append(page.url)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def axe():
    return AxeChecker()


@pytest.fixture
def visit(page, axe):
    """Go to a path, check it answered, has one h1, and passes axe-core."""

    def _visit(path: str, status: int = 200):
        response = page.goto(path)
        assert response is not None and response.status == status, (
            f"{path}: {response and response.status}"
        )
        assert page.locator("h1").count() == 1, path
        axe(page)
        return response

    return _visit


def log_in(page, email: str, *, lang: str = "fi", totp_secret: str | None = None) -> None:
    """Log in through the real form, with the second factor when the account has one."""
    from digikunta.accounts.tests.factories import PASSWORD
    from digikunta.demo.people import current_code

    page.goto(f"/{lang}/account/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").first.click()
    if totp_secret:
        # Not in the last seconds of a 30-second period: a slow server could then see the next.
        remaining = 30 - time.time() % 30
        if remaining < 4:
            time.sleep(remaining + 0.5)
        page.locator("#id_code").fill(current_code(totp_secret))
        page.locator("form.form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r".*(?<!/2fa/authenticate/)$"), timeout=30_000)


def confirmation_link(body: str, kind: str = "confirm-email") -> str:
    return re.search(rf"https?://[^/\s]+(/\S+/account/{kind}/\S+/)", body).group(1)
