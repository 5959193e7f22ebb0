"""A resident reports a journal entry; a moderator hides it with a reason; the entry shows
the reason in its place and leaves the case-bank search. axe-core on every page, in Finnish
and Swedish, at 1280 and 390 px (issue 11, item 8)."""

import pytest
from playwright.sync_api import expect

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.experiments import services
from digikunta.organisations.models import Membership, Organisation
from tests.browser.conftest import log_in

TEXT = {
    "fi": {
        "word": "kellokorvakoruja",
        "report": "Ilmianna",
        "required": "Valitse, miksi ilmiannat tämän.",
        "spam": "Roskaposti tai mainonta",
        "thanks": "Kiitos. Moderaattorit käyvät ilmiantamasi sisällön läpi.",
        "waits": "Yksi ilmiannettu sisältö odottaa",
        "hidden": "Moderaattorit ovat piilottaneet tämän: Mainos, ei kokeilun päiväkirjaa.",
        "none": "0 kokeilua",
    },
    "sv": {
        "word": "klockörhängen",
        "report": "Anmäl",
        "required": "Välj varför du anmäler det här.",
        "spam": "Skräppost eller reklam",
        "thanks": "Tack. Moderatorerna går igenom det du anmälde.",
        "waits": "Ett anmält innehåll väntar",
        "hidden": "Dolt av moderatorerna: Mainos, ei kokeilun päiväkirjaa.",
        "none": "0 försök",
    },
}


def axe_at_both_widths(page, axe):
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        axe(page)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_reported_entry_is_hidden_by_a_moderator_and_leaves_the_search(
    browser, live_server, axe, lang
):
    words = TEXT[lang]
    word = words["word"]  # searched in the page's language, as the entry is written
    lead = UserFactory(email="vetaja@example.fi")
    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=lead)
    experiment = services.experiment_create(
        by=lead,
        owner=kuopio,
        title="Kirjaston iltapäivät",
        summary="Avoimet iltapäivät nuorille.",
        visibility="public",
        language=lang,
    )
    entry = services.journal_entry_create(
        experiment=experiment, by=lead, body=f"Osta {word}: example.com!", language=lang
    )
    resident = UserFactory(email="asukas@example.fi", language=lang)
    moderator = UserFactory(
        email="moderaattori@example.fi", roles=[PlatformRole.MODERATOR], totp=True
    )

    def new_page():
        context = browser.new_context(
            base_url=live_server.url, locale=f"{lang}-FI", viewport={"width": 1280, "height": 800}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        return context, page

    # Anyone finds the experiment by the entry's words.
    visitor_context, visitor = new_page()
    visitor.goto(f"/{lang}/casebank/?q={word}")
    expect(visitor.locator("#results")).to_contain_text("Kirjaston iltapäivät")

    # A resident reports the entry: the reason is required, what they typed stays.
    resident_context, page = new_page()
    log_in(page, resident.email, lang=lang)
    page.goto(f"/{lang}/experiments/{experiment.slug}/")
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name=words["report"]).click()
    expect(page.locator("h1")).to_have_count(1)
    axe_at_both_widths(page, axe)
    page.locator("#id_details").fill("Mainos <script>alert(1)</script>")
    page.locator("#report-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text(words["required"])
    expect(page.locator("#id_details")).to_have_value("Mainos <script>alert(1)</script>")
    axe_at_both_widths(page, axe)
    page.get_by_label(words["spam"]).check()
    page.locator("#report-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(words["thanks"])
    axe_at_both_widths(page, axe)
    resident_context.close()

    # A moderator sees it in the queue and hides it with a public reason.
    moderator_context, page = new_page()
    log_in(page, moderator.email, lang=lang, totp_secret=TOTP_SECRET)
    page.goto(f"/{lang}/moderation/")
    expect(page.locator("h2").first).to_have_text(words["waits"])
    item = page.locator(".moderation-queue > li").first
    expect(item).to_contain_text(word)
    expect(item).to_contain_text("Mainos <script>alert(1)</script>")  # shown as text
    axe_at_both_widths(page, axe)
    item.locator("textarea").fill("Mainos, ei kokeilun päiväkirjaa.")
    item.locator("form").first.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Kirjaston iltapäivät")
    axe_at_both_widths(page, axe)
    moderator_context.close()

    # Everyone sees the reason in the entry's place, and the search no longer finds it.
    visitor.goto(f"/{lang}/experiments/{experiment.slug}/")
    expect(visitor.locator(f"#entry-{entry.pk}")).to_contain_text(words["hidden"])
    expect(visitor.locator("#journal")).not_to_contain_text(word)
    axe_at_both_widths(visitor, axe)
    visitor.goto(f"/{lang}/casebank/?q={word}")
    expect(visitor.locator("#results-title")).to_have_text(words["none"])
    expect(visitor.locator("#results")).not_to_contain_text("Kirjaston iltapäivät")
    visitor_context.close()
