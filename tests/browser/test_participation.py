"""Residents take part: a resident of Kuopio (in Finnish, on a laptop) and a summer resident
(in Swedish, on a phone) declare, post ideas and support them; the city answers by a named
office and the author is told, in her own language."""

from django.core import mail
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.organisations.models import Membership, MembershipRole, Organisation
from digikunta.participation.models import Idea
from digikunta.participation.tests.factories import ProcessFactory
from tests.browser.conftest import AxeChecker, log_in

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def persona(browser, live_server, email, *, lang, viewport, totp=False):
    context = browser.new_context(base_url=live_server.url, locale=f"{lang}-FI", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, email, lang=lang, totp_secret=TOTP_SECRET if totp else None)
    return page


def check(page, axe, path=None):
    if path is not None:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
    assert page.locator("h1").count() == 1, page.url
    axe(page)


def test_residents_post_and_support_ideas_and_the_city_answers(browser, live_server):
    axe = AxeChecker()
    process = ProcessFactory(title="Kesäasukkaiden Kuopio", title_sv="Fritidsinvånarnas Kuopio")
    aino = UserFactory(email="aino@example.fi", name="Aino Asukas")
    ulla = UserFactory(email="ulla@example.fi", name="Ulla Sommarbo", language="sv")
    kaisa = UserFactory(email="kaisa@example.fi", name="Kaisa Kaupunki", totp=True)
    Membership.objects.create(
        organisation=Organisation.objects.get(slug="kuopio"), user=kaisa, role=MembershipRole.ADMIN
    )

    # Aino, a resident, in Finnish on a laptop: she declares and posts an idea.
    fi = persona(browser, live_server, aino.email, lang="fi", viewport=LAPTOP)
    check(fi, axe, "/fi/participation/")
    fi.get_by_role("link", name="Kesäasukkaiden Kuopio").click()
    check(fi, axe)
    fi.get_by_role("link", name="Ilmoita, miten osallistut").click()
    check(fi, axe)
    fi.get_by_label("asukas", exact=True).check()
    fi.get_by_label("Vakuutan, että ilmoittamani tieto on totta.").check()
    fi.get_by_role("button", name="Ilmoita").click()
    expect(fi.get_by_text("Kiitos: voit nyt osallistua prosessiin.")).to_be_visible()
    fi.get_by_role("link", name="Jätä idea").click()
    check(fi, axe)
    fi.locator("#id_title").fill("Laituri Väinölänniemen rantaan")
    fi.locator("#id_body").fill("Uimalaituri, josta pääsee myös **pyörätuolilla** veteen.")
    fi.locator("#id_address").fill("Väinölänniemi, Kuopio")
    fi.get_by_role("button", name="Julkaise idea").click()
    expect(fi.get_by_role("heading", level=1)).to_have_text("Laituri Väinölänniemen rantaan")
    check(fi, axe)
    expect(fi.locator(".prose strong")).to_have_text("pyörätuolilla")

    # Ulla, a summer resident, in Swedish on a phone: she declares, supports Aino's idea and
    # posts her own.
    sv = persona(browser, live_server, ulla.email, lang="sv", viewport=PHONE)
    check(sv, axe, process.get_absolute_url().replace("/fi/", "/sv/"))
    expect(sv.get_by_role("heading", level=1)).to_have_text("Fritidsinvånarnas Kuopio")
    sv.get_by_role("link", name="Meddela hur du deltar").click()
    check(sv, axe)
    sv.get_by_label("fritidsinvånare", exact=True).check()
    sv.get_by_label("Jag bekräftar att det jag uppger är sant.").check()
    sv.get_by_role("button", name="Meddela").click()
    sv.get_by_role("link", name="Laituri Väinölänniemen rantaan").click()
    check(sv, axe)
    sv.get_by_role("button", name="Stöd den här idén").click()
    expect(sv.get_by_text("1 person stöder den här idén.")).to_be_visible()
    check(sv, axe)
    sv.goto(process.get_absolute_url().replace("/fi/", "/sv/"))
    sv.get_by_role("link", name="Lämna en idé").click()
    sv.locator("#id_title").fill("Bättre mobilnät vid stugorna")
    sv.locator("#id_body").fill("Vid sommarstugorna fungerar distansarbete inte.")
    sv.locator("#id_language").select_option("sv")
    sv.get_by_role("button", name="Publicera idén").click()
    expect(sv.get_by_role("heading", level=1)).to_have_text("Bättre mobilnät vid stugorna")
    check(sv, axe)

    # Kaisa answers Ulla's idea for the city; Ulla is told in Swedish.
    city = persona(browser, live_server, kaisa.email, lang="fi", viewport=LAPTOP, totp=True)
    idea = Idea.objects.get(title="Bättre mobilnät vid stugorna")
    city.goto(idea.get_absolute_url())
    city.get_by_role("link", name="Vastaa ideaan").click()
    check(city, axe)
    city.get_by_label("työn alla").check()
    city.locator("#id_reasoning").fill("Selvitämme tukiaseman paikan operaattorin kanssa.")
    city.locator("#id_office").fill("Kuopion kaupunki, kaupunkiympäristön palvelualue")
    mail.outbox.clear()
    city.get_by_role("button", name="Julkaise vastaus").click()
    expect(city.get_by_text("kaupunkiympäristön palvelualue")).to_be_visible()
    to_ulla = [m for m in mail.outbox if m.to == [ulla.email]]
    assert len(to_ulla) == 1 and "Digikunta: kommunen svarade på idén" in to_ulla[0].subject

    sv.goto(idea.get_absolute_url().replace("/fi/", "/sv/"))
    expect(sv.get_by_text("Selvitämme tukiaseman paikan")).to_be_visible()
    check(sv, axe)
    # The process page counts what is still waiting for an answer.
    check(fi, axe, process.get_absolute_url())
    expect(fi.get_by_text("1 odottaa yhä kunnan vastausta")).to_be_visible()
    assert len(axe.checked) >= 12
