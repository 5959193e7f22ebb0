"""On a phone, municipalities are chosen from a list that a filter box narrows (issue 10, item
9): Finnish and Swedish names both match, the count chosen is announced, the chosen stay in view."""

from playwright.sync_api import expect

from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.experiments.models import Experiment
from digikunta.organisations.models import Membership, Organisation
from tests.browser.conftest import log_in


def phone(browser, live_server, lang="fi"):
    context = browser.new_context(
        base_url=live_server.url, locale=f"{lang}-FI", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_a_lead_chooses_two_municipalities_by_typing_and_ticking_on_a_phone(
    browser, live_server, axe
):
    lead = UserFactory(email="kehittaja@example.fi")
    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=lead)
    context, page = phone(browser, live_server)
    log_in(page, lead.email)
    page.goto("/fi/experiments/new/")
    page.locator("#id_title").fill("Kirjaston ryhmätilat verkosta")
    page.locator("#id_summary").fill("Kuntalaiset varaavat ryhmätilat verkossa.")

    places = page.locator("#id_municipalities")
    search = page.get_by_label("Etsi kuntaa suomen- tai ruotsinkielisellä nimellä")
    status = places.locator("[role=status]")
    expect(search).to_be_visible()
    expect(status).to_have_text("Ei valintoja.")
    axe(page)

    search.fill("helsin")
    expect(places.get_by_label("Helsinki", exact=True)).to_be_visible()
    expect(places.get_by_label("Kuopio", exact=True)).to_be_hidden()
    expect(status).to_contain_text("Näkyvissä 1 / 308.")
    places.get_by_label("Helsinki", exact=True).check()
    expect(status).to_contain_text("1 kunta valittu.")

    # The Swedish name finds Vaasa; Helsinki, chosen, stays in view though it does not match.
    search.fill("")
    search.press_sequentially("vasa")
    expect(places.get_by_label("Vaasa", exact=True)).to_be_visible()
    expect(places.get_by_label("Helsinki", exact=True)).to_be_visible()
    expect(places.get_by_label("Kuopio", exact=True)).to_be_hidden()
    # By keyboard: down from the box to the first match (Pohjanmaa before Uusimaa), space ticks.
    search.press("ArrowDown")
    expect(places.get_by_label("Vaasa", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_contain_text("2 kuntaa valittu.")
    search.press("Enter")  # never submits the form
    expect(page).to_have_url(f"{live_server.url}/fi/experiments/new/")

    search.fill("xyzzy")
    expect(places.locator(".choice-list__none")).to_have_text(
        "Yksikään kunta ei vastaa hakua ”xyzzy”."
    )
    search.press("Escape")
    expect(places.get_by_label("Kuopio", exact=True)).to_be_visible()
    axe(page)

    # The first experiment saved in a process loads the similarity model (tasks run at once in
    # tests): seconds on a busy machine.
    page.locator("#experiment-form button[type=submit]").click(timeout=60_000)
    expect(page.locator("h1")).to_have_text("Kirjaston ryhmätilat verkosta")
    experiment = Experiment.objects.get(title="Kirjaston ryhmätilat verkosta")
    assert sorted(experiment.municipalities.values_list("code", flat=True)) == ["091", "905"]
    expect(page.locator("dd", has_text="Helsinki")).to_contain_text("Vaasa")

    # Editing shows them first and ticked, in Swedish too.
    for lang, legend, chosen in (
        ("fi", "Valitut", "2 kuntaa valittu."),
        ("sv", "Valda", "2 kommuner valda."),
    ):
        page.goto(f"/{lang}/experiments/{experiment.slug}/edit/")
        first = places.locator("fieldset").first
        expect(first.locator("legend")).to_have_text(legend)
        expect(first.locator("input:checked")).to_have_count(2)
        expect(status).to_have_text(chosen)
        axe(page)
    context.close()


def test_an_organisations_home_municipality_is_one_choice_found_by_its_swedish_name(
    browser, live_server, axe
):
    # Founding makes one an administrator, which requires two-factor authentication (0004).
    founder = UserFactory(email="grundare@example.fi", language="sv", totp=True)
    context, page = phone(browser, live_server, lang="sv")
    log_in(page, founder.email, lang="sv", totp_secret=TOTP_SECRET)
    page.goto("/sv/organisations/new/")
    page.get_by_label("Typ").select_option("association")
    page.locator("#id_name").fill("Digistöd rf")
    home = page.locator("#id_home_municipality")
    home.get_by_label("Sök en kommun med dess finska eller svenska namn").fill("tavastehus")
    # Hämeenlinna is Finnish-speaking: its official name in Swedish too.
    expect(home.get_by_label("Hämeenlinna", exact=True)).to_be_visible()
    home.get_by_label("Hämeenlinna", exact=True).check()
    expect(home.locator("[role=status]")).to_contain_text("Vald: Hämeenlinna.")
    axe(page)
    page.locator("#organisation-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Digistöd rf")
    assert Organisation.objects.get(name="Digistöd rf").home_municipality_id == "109"
    context.close()
