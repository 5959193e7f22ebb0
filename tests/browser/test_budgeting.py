"""A budgeting vote: a resident chooses projects with the remaining budget shown as they tick,
reviews, casts and gets a receipt code; anyone checks the code; the resident changes the
ballot; the results show the funded line. Finnish and Swedish, 1280 and 390 px, axe-core on
every page (issue 11, item 5)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import UserFactory
from digikunta.budgeting.models import Ballot
from digikunta.budgeting.tests.factories import (
    BallotFactory,
    BudgetAreaFactory,
    ProjectFactory,
    declare_resident,
)
from digikunta.participation.models import PhaseKind
from digikunta.participation.tests.factories import ProcessFactory
from tests.browser.conftest import AxeChecker, log_in

WORDS = {
    "fi": {
        "vote": "Äänestä",
        "none": "Et ole vielä valinnut yhtään hanketta",
        "one": r"Valitsit 1 hankkeen, yhteensä 12\s000 €; jäljellä on 8\s000 €\.",
        "over": r"Valitsit 2 hanketta, yhteensä 21\s000 €, mikä on 1\s000 € yli",
        "two": r"Valitsit 2 hanketta, yhteensä 18\s500 €; jäljellä on 1\s500 €\.",
        "review": "Tarkista valintani",
        "refused": "enemmän kuin alueen",
        "cast": "Anna ääneni",
        "cast_new": "Anna uusi ääneni",
        "change": "Muuta ääntäni",
        "counted": "Tämä ääni on laskettu.",
        "changed": "Äänesi on muutettu",
        "check": "Tarkista",
        "line": "Budjetti loppuu tähän",
    },
    "sv": {
        "vote": "Rösta",
        "none": "Du har inte valt något projekt ännu",
        "one": r"Du valde 1 projekt för 12\s000 €; 8\s000 € återstår\.",
        "over": r"Du valde 2 projekt för 21\s000 €, 1\s000 € över budgeten",
        "two": r"Du valde 2 projekt för 18\s500 €; 1\s500 € återstår\.",
        "review": "Granska mina val",
        "refused": "mer än områdets budget",
        "cast": "Lämna min röst",
        "cast_new": "Lämna min nya röst",
        "change": "Ändra min röst",
        "counted": "Den här rösten räknas.",
        "changed": "Din röst har ändrats",
        "check": "Kontrollera",
        "line": "Här tar budgeten slut",
    },
}


def new_page(browser, live_server, lang, width):
    context = browser.new_context(
        base_url=live_server.url, locale=f"{lang}-FI", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def visit(page, axe, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert page.locator("h1").count() == 1, path
    axe(page)


def tick(page, title):
    page.get_by_label(re.compile(title)).check()


def untick(page, title):
    page.get_by_label(re.compile(title)).uncheck()


@pytest.mark.parametrize(("lang", "width"), [("fi", 1280), ("sv", 390)])
def test_a_vote_is_reviewed_cast_checked_by_receipt_and_changed(browser, live_server, lang, width):
    words = WORDS[lang]
    axe = AxeChecker()
    area = BudgetAreaFactory(name="Koko kunta", name_sv="Hela kommunen", budget=Decimal(20000))
    process = area.process
    for title, title_sv, cost in (
        ("Skeittipaikka", "Skateplats", 12000),
        ("Penkit rantaan", "Bänkar vid stranden", 6500),
        ("Kirjastoauto", "Biblioteksbuss", 9000),
    ):
        ProjectFactory(area=area, title=title, title_sv=title_sv, estimated_cost=cost)
    skate, benches, bus = ("Skeittipaikka", "Penkit rantaan", "Kirjastoauto")
    if lang == "sv":
        skate, benches, bus = ("Skateplats", "Bänkar vid stranden", "Biblioteksbuss")
    voter = UserFactory(email=f"aanestaja-{lang}@example.fi", language=lang)
    declare_resident(voter, process)
    base = f"/{lang}/participation/{process.slug}/budget/"

    context, page = new_page(browser, live_server, lang, width)
    log_in(page, voter.email, lang=lang)
    visit(page, axe, base)
    page.get_by_role("link", name=words["vote"], exact=True).click()
    expect(page.locator("h1")).to_contain_text(area.name if lang == "fi" else area.name_sv)
    axe(page)
    summary = page.locator("#budget-summary")
    expect(summary).to_contain_text(words["none"])

    # The remaining budget follows the ticks; going over says so, and the review refuses it.
    tick(page, skate)
    expect(summary).to_have_text(re.compile(words["one"]))
    tick(page, bus)
    expect(summary).to_have_text(re.compile(words["over"]))
    expect(page.locator(".budget-meter")).to_have_class(re.compile("is-over"))
    axe(page)
    page.get_by_role("button", name=words["review"]).click()
    expect(page.locator(".error-summary")).to_contain_text(words["refused"])
    axe(page)
    untick(page, bus)
    tick(page, benches)
    expect(summary).to_have_text(re.compile(words["two"]))

    # Review, then cast: the receipt shows the code once.
    page.get_by_role("button", name=words["review"]).click()
    expect(page.locator(".review-summary")).to_have_text(re.compile(words["two"]))
    axe(page)
    page.get_by_role("button", name=words["cast"], exact=True).click()
    code = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    axe(page)
    assert Ballot.objects.get().voter == voter

    # Anyone with the code sees that the ballot is counted, and nothing of what it holds.
    other_context, other = new_page(browser, live_server, lang, width)
    visit(other, axe, base + "check/")
    other.get_by_label(re.compile("Kuittikoodi|Kvittokod")).fill(code.lower().replace("-", " "))
    other.get_by_role("button", name=words["check"], exact=True).click()
    expect(other.locator(".message--success")).to_contain_text(words["counted"])
    assert skate not in other.content() and benches not in other.content()
    axe(other)
    other_context.close()

    # The resident changes the ballot: the old choices are ticked, the new ones replace them.
    page.get_by_role("link", name=words["change"]).click()
    expect(page.get_by_label(re.compile(skate))).to_be_checked()
    expect(page.get_by_label(re.compile(benches))).to_be_checked()
    untick(page, skate)
    tick(page, bus)
    page.get_by_role("button", name=words["review"]).click()
    page.get_by_role("button", name=words["cast_new"]).click()
    expect(page.locator(".messages")).to_contain_text(words["changed"])
    expect(page.locator("#receipt-code")).to_have_count(0)
    axe(page)
    ballot = Ballot.objects.get()
    assert len(ballot.choices) == 2 and ballot.changed_at is not None
    context.close()


@pytest.mark.parametrize(("lang", "width"), [("fi", 1280), ("sv", 390), ("fi", 390), ("sv", 1280)])
def test_the_results_show_the_funded_line(browser, live_server, lang, width):
    axe = AxeChecker()
    area = BudgetAreaFactory(
        process=ProcessFactory(phases=PhaseKind.IMPLEMENTATION), budget=Decimal(20000)
    )
    a, b, c = (
        ProjectFactory(area=area, title=t, title_sv=t, estimated_cost=cost)
        for t, cost in (("Uimaranta", 12000), ("Skeittipaikka", 10000), ("Penkit", 8000))
    )
    for choices in ([a, b], [a, b], [a, c]):
        BallotFactory(area=area, choices=sorted(p.pk for p in choices))
    context, page = new_page(browser, live_server, lang, width)
    visit(page, axe, f"/{lang}/participation/{area.process.slug}/budget/results/")
    line = page.locator("tr.funded-line")
    expect(line).to_contain_text(WORDS[lang]["line"])
    rows = page.locator("table.results tbody tr:not(.funded-line) th").all_inner_texts()
    assert rows == ["Uimaranta", "Skeittipaikka", "Penkit"]
    # The line lies between the first project and the second, which does not fit.
    assert page.locator("table.results tbody tr").nth(1).get_attribute("class") == "funded-line"
    context.close()
