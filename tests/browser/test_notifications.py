"""Notification settings and the one-click unsubscribe page, in Finnish and Swedish, on a wide
screen and a phone, with axe-core on every state."""

import pytest
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import UserFactory
from digikunta.notifications.models import Preference
from digikunta.notifications.tokens import unsubscribe_token
from tests.browser.conftest import log_in

WORDS = {
    "fi": {
        "kind": "Kokeilut, joita seuraat",
        "daily": "Päivän koosteena",
        "save": "Tallenna",
        "saved": "Ilmoitusvalintasi tallennettiin.",
        "stop": "Lopeta nämä ilmoitukset",
        "stopped": "Ilmoitukset lopetettu",
        "broken": "Linkki ei toimi",
    },
    "sv": {
        "kind": "Försök som du följer",
        "daily": "I en daglig sammanfattning",
        "save": "Spara",
        "saved": "Dina val för aviseringar sparades.",
        "stop": "Avsluta de här aviseringarna",
        "stopped": "Aviseringarna avslutade",
        "broken": "Länken fungerar inte",
    },
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_choosing_a_digest_and_unsubscribing_with_one_click(browser, live_server, axe, lang, width):
    words = WORDS[lang]
    context = browser.new_context(
        base_url=live_server.url, locale=f"{lang}-FI", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    user = UserFactory(language=lang)

    log_in(page, user.email, lang=lang)
    page.wait_for_url(f"**/{lang}/mine/")
    page.goto(f"/{lang}/account/notifications/")
    group = page.get_by_role("group", name=words["kind"])
    expect(group).to_be_visible()
    axe(page)
    group.get_by_label(words["daily"]).check()
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    expect(group.get_by_label(words["daily"])).to_be_checked()
    axe(page)
    assert Preference.objects.get(user=user, kind="experiment_updates").frequency == "daily"

    # The link in an e-mail, opened without signing in: it asks first.
    context.clear_cookies()
    token = unsubscribe_token(user.pk, "experiment_updates")
    page.goto(f"/{lang}/notifications/unsubscribe/{token}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
    assert Preference.objects.get(user=user, kind="experiment_updates").frequency == "daily"
    page.get_by_role("button", name=words["stop"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["stopped"])
    axe(page)
    assert Preference.objects.get(user=user, kind="experiment_updates").frequency == "off"

    response = page.goto(f"/{lang}/notifications/unsubscribe/{token[:-3]}xyz/")
    assert response is not None and response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text(words["broken"])
    axe(page)
    context.close()
