"""A resident answers a survey with each kind of question and reads its results (charts with
their tables), in Finnish and Swedish, on a wide screen and a phone; a runner builds one.
axe-core on every page."""

import pytest
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory
from digikunta.surveys.models import AnswerValue, Response, Survey, TextAnswer
from digikunta.surveys.tests.factories import SurveyFactory, every_kind
from tests.browser.conftest import log_in
from tests.browser.test_phone_layout import LABEL_SIZES

WORDS = {
    "fi": {
        "send": "Lähetä vastaukset",
        "thanks": "Kiitos vastauksestasi",
        "results": "Katso tulokset",
        "when": "Illalla",
        "uses": ["Lainaus", "Tapahtumat"],
        "missing": "Valitse yksi vaihtoehto.",
        "caption": "Kysymyksen 1 vastaukset",
    },
    "sv": {
        "send": "Skicka svaren",
        "thanks": "Tack för ditt svar",
        "results": "Se resultaten",
        "when": "Illalla (sv)",
        "uses": ["Lainaus (sv)", "Tapahtumat (sv)"],
        "missing": "Välj ett alternativ.",
        "caption": "Svaren på fråga 1",
    },
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_resident_answers_each_kind_of_question_and_sees_the_results(
    browser, live_server, axe, lang, width
):
    survey = SurveyFactory(organiser=Organisation.objects.get(slug="kuopio"))
    single, multiple, scale, text = every_kind(survey)
    words = WORDS[lang]
    context = browser.new_context(
        base_url=live_server.url, locale=f"{lang}-FI", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(f"/{lang}/surveys/")
    axe(page)
    page.get_by_role("link", name=survey.title_sv if lang == "sv" else survey.title).click()
    expect(page.locator("h1")).to_have_count(1)
    axe(page)

    # Sent without the required single choice: the page says so, and keeps what was chosen.
    for label in words["uses"]:
        page.get_by_role(
            "group", name=multiple.text_sv if lang == "sv" else multiple.text
        ).get_by_label(label).check()
    page.get_by_label("4", exact=True).check()
    page.locator(f"#id_q{text.pk}").fill("Iltaisin myös lauantaina.")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator(".error-summary")).to_contain_text(words["missing"])
    expect(page.locator(f"#id_q{text.pk}")).to_have_value("Iltaisin myös lauantaina.")
    axe(page)
    assert not Response.objects.exists()

    page.get_by_label(words["when"], exact=True).check()
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("h1")).to_have_text(words["thanks"])
    axe(page)
    response = Response.objects.get()
    assert response.user is None
    assert AnswerValue.objects.count() == 4
    assert TextAnswer.objects.get().text == "Iltaisin myös lauantaina."

    page.get_by_role("link", name=words["results"]).click()
    expect(page.locator("svg.chart__svg")).to_have_count(3)
    expect(page.locator("table caption").first).to_have_text(words["caption"])
    expect(page.locator("table")).to_have_count(3)
    assert "Iltaisin myös lauantaina." not in page.content()  # free text is the organiser's
    axe(page)
    for label in page.evaluate(LABEL_SIZES):
        assert label["px"] >= 12, label
        assert label["inside"], label
    context.close()


def test_a_runner_builds_and_publishes_a_survey(browser, live_server, axe):
    kuopio = Organisation.objects.get(slug="kuopio")
    runner = UserFactory(email="riikka@example.fi", totp=True)
    MembershipFactory(organisation=kuopio, user=runner, role=MembershipRole.ADMIN)
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, runner.email, totp_secret=TOTP_SECRET)

    page.goto("/fi/surveys/new/")
    axe(page)
    page.locator("#id_organiser").select_option(str(kuopio.pk))
    page.locator("#id_title").fill("Uimahallin aukioloajat")
    page.get_by_role("button", name="Luo kysely").click()
    expect(page.locator("h1")).to_contain_text("Uimahallin aukioloajat")
    axe(page)

    page.get_by_role("link", name="Lisää kysymys").click()
    axe(page)
    page.locator("#id_text").fill("Milloin uisit?")
    page.locator("#id_choices-0-label").fill("Aamulla")
    page.get_by_role("button", name="Tallenna kysymys").click()
    expect(page.locator(".error-summary")).to_contain_text("vähintään kaksi vaihtoehtoa")
    axe(page)
    page.locator("#id_choices-1-label").fill("Illalla")
    page.get_by_role("button", name="Tallenna kysymys").click()
    expect(page.locator(".question-list")).to_contain_text("Milloin uisit?")

    page.get_by_role("button", name="Julkaise kysely").click()
    expect(page.locator("h1")).to_have_text("Uimahallin aukioloajat")
    axe(page)
    survey = Survey.objects.get()
    assert survey.published_at is not None
    assert [c.label for c in survey.questions.get().choices.all()] == ["Aamulla", "Illalla"]
    context.close()
