"""Demo participation for `digikunta demo`, through participation/services.py as they are:

- "Mitä tekisit 10 000 eurolla?" in Kuopio, in its ideas phase, for residents and summer
  residents: ideas in Finnish and Swedish from the personas and the municipalities' leads,
  supports, official answers by named offices (one idea taken forward by an experiment), and
  ideas still waiting for their answer;
- a region-wide consultation in North Savo open to anyone signed in, still to come.

Ideas can only be posted in an ideas phase, so they are posted now and their dates then moved
into the past. Idempotent by the processes' slugs.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from digikunta.accounts.models import User
from digikunta.experiments.models import Experiment, Theme
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.participation import services
from digikunta.participation.models import Answer, AnswerStatus, Basis, Idea, PhaseKind, Process

BUDGET = "mita-tekisit-10-000-eurolla"
REGION = "digituki-pohjois-savossa"
KUOPIO = "297"

# (author key, title, body, language, theme slug, place, days ago, answer or None)
IDEAS: list[tuple[str, str, str, str, str, str, int, tuple[str, str, str] | None]] = [
    (
        "asukas",
        "Kirjaston tilat varattaviksi puhelimella",
        "Kirjaston ryhmätilat ovat iltaisin tyhjinä. Jos ne voisi **varata ja avata "
        "puhelimella**, yhdistykset ja opiskelijat käyttäisivät niitä.",
        "fi",
        "facilities",
        "Kuopion pääkirjasto, Maaherrankatu 12",
        24,
        (
            AnswerStatus.ACCEPTED,
            "Idea otetaan mukaan: kirjasto kokeilee sähköistä ovenavausta syksyllä. Kokeilun "
            "etenemistä voi seurata sen omalla sivulla.",
            "Kuopion kaupunki, kulttuuripalvelut",
        ),
    ),
    (
        "invanare",
        "Sommarinvånarna vill också få kommunens nyheter",
        "Vi som har stuga i Kuopio får inte veta om vägarbeten eller vattenavbrott. En "
        "**e-postlista för fritidsinvånare** på svenska och finska skulle räcka långt.",
        "sv",
        "e-services",
        "",
        20,
        (
            AnswerStatus.IN_PROGRESS,
            "Selvitämme, voidaanko nykyinen tiedotejärjestelmä avata vapaa-ajan asukkaille. "
            "Vastaamme tarkemmin, kun selvitys on valmis.",
            "Kuopion kaupunki, viestintä",
        ),
    ),
    (
        "kehittaja",
        "Katuvalojen viat kartalle",
        "Pimeä katuvalo on helppo ilmoittaa, jos sen voi valita kartalta puhelimella.",
        "fi",
        "mobility",
        "Puijonlaakso",
        16,
        (
            AnswerStatus.NOT_TAKEN_FORWARD,
            "Vikailmoitukset tehdään jo valtakunnallisessa Palautteet-palvelussa, joten erillistä "
            "karttaa ei rakenneta. Lisäämme palveluun suoran linkin kaupungin sivuille.",
            "Kuopion kaupunki, kaupunkiympäristön palvelualue",
        ),
    ),
    (
        "asukas",
        "Digituki ikäihmisille kirjastoon joka viikko",
        "Moni ikäihminen tarvitsee apua pankkitunnusten ja Omakannan kanssa. Viikoittainen "
        "digitukihetki kirjastossa olisi helppo löytää.",
        "fi",
        "wellbeing",
        "Kuopion pääkirjasto",
        9,
        None,
    ),
    (
        "invanare",
        "Bättre mobiltäckning vid sommarstugorna",
        "Distansarbete från stugan fungerar inte när nätet bryts. Kunde kommunen kartlägga "
        "var täckningen saknas?",
        "sv",
        "data-systems",
        "Kallavesi, Vehmersalmi",
        5,
        None,
    ),
    (
        "kehittaja",
        "Uimarantojen vedenlaatu yhdelle sivulle",
        "Vedenlaatu on nyt eri paikoissa. Yksi sivu, jota voi seurata, auttaisi kesällä.",
        "fi",
        "e-services",
        "",
        2,
        None,
    ),
]

# Who supports which idea (by title): the personas and a few leads, on their declarations.
SUPPORTERS = {
    "Kirjaston tilat varattaviksi puhelimella": ["invanare", "kehittaja", "kuntaadmin"],
    "Sommarinvånarna vill också få kommunens nyheter": ["asukas", "kehittaja"],
    "Digituki ikäihmisille kirjastoon joka viikko": ["invanare", "kehittaja", "kuntaadmin"],
    "Bättre mobiltäckning vid sommarstugorna": ["asukas"],
}


def _phases(today: Any, ideas_began: int) -> list[dict[str, Any]]:
    start = today - timedelta(days=ideas_began)
    lengths = [(PhaseKind.IDEAS, 40), (PhaseKind.CO_CREATION, 21), (PhaseKind.VOTING, 14)]
    phases = []
    for kind, days in [*lengths, (PhaseKind.IMPLEMENTATION, 180)]:
        phases.append({"kind": kind, "starts_on": start, "ends_on": start + timedelta(days=days)})
        start += timedelta(days=days + 1)
    return phases


def load_demo_participation(*, people: dict[str, User]) -> None:
    if Process.objects.filter(slug=BUDGET).exists():
        return
    kuopio = Organisation.objects.get(slug="kuopio")
    area = Municipality.objects.filter(code=KUOPIO)
    admin = people["kuntaadmin"]
    today = timezone.localdate()
    process = services.process_create(
        by=admin,
        organiser=kuopio,
        municipalities=area,
        title="Mitä tekisit 10 000 eurolla?",
        title_sv="Vad skulle du göra med 10 000 euro?",
        description=(
            "Kuopio käyttää **10 000 euroa** asukkaiden ideoimiin digitaalisiin palveluihin. "
            "Ehdota, kommentoi ja kannata; kaupunki vastaa jokaiseen ideaan, ja syksyllä "
            "äänestetään, mitkä toteutetaan. Myös vapaa-ajan asukkaat ovat tervetulleita."
        ),
        description_sv=(
            "Kuopio använder **10 000 euro** till digitala tjänster som invånarna föreslår. "
            "Föreslå, kommentera och stöd; staden svarar på varje idé, och i höst röstar vi om "
            "vilka som genomförs. Även fritidsinvånare är välkomna."
        ),
        eligible_bases=[Basis.RESIDENT, Basis.SUMMER_RESIDENT],
    )
    services.phases_set(process=process, phases=_phases(today, ideas_began=30))
    services.process_publish(process=process)
    _declare(process, people)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for author, title, body, language, theme, place, days_ago, answer in IDEAS:
        idea = services.idea_create(
            by=people[author],
            process=process,
            title=title,
            body=body,
            language=language,
            theme=themes.get(theme),
            address=place,
        )
        for supporter in SUPPORTERS.get(title, []):
            services.support_add(user=people[supporter], idea=idea)
        posted = timezone.now() - timedelta(days=days_ago, hours=3)
        Idea.objects.filter(pk=idea.pk).update(created_at=posted)
        if answer is not None:
            status, reasoning, office = answer
            services.answer_set(
                idea=idea, by=admin, status=status, reasoning=reasoning, office=office
            )
            answered = posted + timedelta(days=6)
            Answer.objects.filter(idea=idea).update(answered_at=answered)
            Idea.objects.filter(pk=idea.pk).update(answered_at=answered)
    library = Experiment.objects.filter(slug="kirjaston-tilavaraus-ja-ovenavaus").first()
    if library is not None:
        first = Idea.objects.get(process=process, title=IDEAS[0][1])
        services.idea_link_experiment(idea=first, experiment=library)
    region = services.process_create(
        by=admin,
        organiser=Organisation.objects.filter(region__code="11").first() or kuopio,
        municipalities=Municipality.objects.filter(region__code="11"),
        title="Digituki Pohjois-Savossa: mitä tarvitset?",
        title_sv="Digitalt stöd i Norra Savolax: vad behöver du?",
        description="Kerro, millaista digitukea sinä tai läheisesi tarvitsette.",
        eligible_bases=[Basis.SIGNED_IN],
    )
    services.phases_set(process=region, phases=_phases(today, ideas_began=-14))
    services.process_publish(process=region)


def _declare(process: Process, people: dict[str, User]) -> None:
    """The personas' declarations: Ingrid has a summer cottage in Kuopio."""
    kuopio = Municipality.objects.get(code=KUOPIO)
    services.profile_set(user=people["asukas"], home_municipality=kuopio, summer_municipalities=[])
    services.profile_set(
        user=people["invanare"],
        home_municipality=Municipality.objects.get(code="905"),
        summer_municipalities=[kuopio],
    )
    for key in ("asukas", "kehittaja", "kuntaadmin"):
        services.declare(
            user=people[key], process=process, basis=Basis.RESIDENT, municipality=kuopio
        )
    services.declare(
        user=people["invanare"], process=process, basis=Basis.SUMMER_RESIDENT, municipality=kuopio
    )
