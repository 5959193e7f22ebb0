"""Demo funding for `digikunta demo`, through funding/services.py as they are:

- a funded round: last spring's call, five applications from five municipalities, two reviews
  each, three approvals and two rejections, instalments, and one final report that ends the
  experiment and puts its results in the case bank;
- an open fast-track call with one application from Kuopio waiting for its reviewer;
- an upcoming regular call.

Applications can only be made and submitted while a call is open, so the funded round is run
now and its dates are then moved into the past (``_backdate``). Idempotent by the calls' slugs.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from digikunta.accounts.models import User
from digikunta.experiments.models import Experiment, Theme
from digikunta.funding import services
from digikunta.funding.forms import CALL_TEMPLATES
from digikunta.funding.models import (
    Application,
    Call,
    Decision,
    Instalment,
    InstalmentTrigger,
    Payment,
    ReviewAssignment,
)
from digikunta.organisations.models import Organisation

FAST_TRACK = "digikokeilujen-pikakaista"
ROUND = "kuntakokeilut-kevat"
UPCOMING = "kuntakokeilut-2027"

CRITERIA = [
    {"name": "Hyöty asukkaille", "name_sv": "Nytta för invånarna", "weight": 3},
    {"name": "Kokeilun rohkeus ja opittavuus", "name_sv": "Mod och lärande", "weight": 2},
    {"name": "Toteutettavuus", "name_sv": "Genomförbarhet", "weight": 1},
]
QUESTIONS = [
    {
        "kind": "long_text",
        "label": "Mitä opitte, jos kokeilu epäonnistuu?",
        "label_sv": "Vad lär ni er om försöket misslyckas?",
        "required": True,
        "choices": [],
    },
    {
        "kind": "choice",
        "label": "Kuinka moni asukas kokeilee palvelua?",
        "label_sv": "Hur många invånare provar tjänsten?",
        "required": True,
        "choices": ["alle 50", "50–500", "yli 500"],
    },
]

# The funded round: (experiment slug, summary, own contribution, budget lines, answer to
# "what if it fails", reach, the two reviewers' scores, decision, granted, reasoning).
ROUND_APPLICATIONS: list[dict[str, Any]] = [
    {
        "experiment": "kutsuliikenne-sovelluksella",
        "summary": "Kutsuliikenteen tilaus tekstiviestillä ja sovelluksella sekä kyytien yhdistely samaan autoon Uuraisilla.",
        "own": "6000",
        "budget": [
            ("Tilausjärjestelmän käyttöönotto", "14000"),
            ("Tekstiviestipalvelu vuodeksi", "4000"),
            ("Opastus kylillä", "2000"),
        ],
        "fails": "Opimme, miksi ikäihmiset eivät tilaa kyytiä, vaikka se olisi helppoa, ja kerromme sen muille maaseutukunnille.",
        "reach": "50–500",
        "scores": (5, 4),
        "decision": "approved",
        "granted": "14000",
        "reasoning": "Selvä tarve, realistinen suunnitelma ja opit hyödyttävät monia maaseutukuntia.",
    },
    {
        "experiment": "kesaasukkaiden-jatehuoltoviestit",
        "summary": "Tekstiviestipalvelu kesäasukkaille yhdessä kesämökkiyhdistyksen kanssa, edellisen epäonnistuneen kokeilun oppien pohjalta.",
        "own": "3000",
        "budget": [
            ("Tekstiviestipalvelu", "6000"),
            ("Yhdistyksen jäsenkirje ja kutsut", "2000"),
            ("Syyskysely", "1500"),
        ],
        "fails": "Jos kesäasukkaat eivät liity tälläkään kertaa, tiedämme, että yhteystietojen puute ei ollut ainoa syy.",
        "reach": "yli 500",
        "scores": (4, 4),
        "decision": "approved",
        "granted": "6500",
        "reasoning": "Hakija hyödyntää avoimesti edellisen kokeilun epäonnistumista. Kumppanuus yhdistyksen kanssa on kokeilun ydin.",
    },
    {
        "experiment": "vesimittarien-etaluenta",
        "summary": "Vesimittarien etäluenta ja vuotohälytys 200 kesämökille Savonlinnassa.",
        "own": "8000",
        "budget": [("Etäluettavat mittarit 200 kpl", "16000"), ("Hälytyspalvelu", "4000")],
        "fails": "Opimme, riittävätkö hälytykset vesivahinkojen estämiseen vai tarvitaanko automaattinen sulku.",
        "reach": "50–500",
        "scores": (4, 5),
        "decision": "approved",
        "granted": "12000",
        "reasoning": "Mitattava hyöty asukkaille ja vesihuollolle. Loppuraportin tulokset kiinnostavat kaikkia järvikuntia.",
        "report": {
            "results": "Etäluenta löysi 19 vuotoa kesämökeiltä talven aikana, ja yhdeksässä niistä vesivahinko vältettiin kokonaan. Arviolaskutus loppui kokeilun mökeiltä.",
            "lessons": "Tekstiviestihälytys riittää, kun omistaja tai naapuri pääsee paikalle vuorokaudessa. Mittarien asennus kannattaa tehdä syksyllä ennen vesien sulkemista.",
            "outcome": "succeeded",
            "spent": "19500",
        },
    },
    {
        "experiment": "matkailijoiden-ja-asukkaiden-palautekartta",
        "summary": "Yhteinen palautekartta Vuokatin matkailijoille ja sotkamolaisille.",
        "own": "2500",
        "budget": [("Karttapalvelun lisenssi", "9000"), ("Viestintä matkailijoille", "3000")],
        "fails": "Opimme, antavatko matkailijat palautetta kunnalle lainkaan.",
        "reach": "yli 500",
        "scores": (2, 3),
        "decision": "rejected",
        "reasoning": "Hakemuksesta ei selviä, kuka palautteisiin vastaa ja miten ne käsitellään. Suosittelemme hakemaan uudelleen, kun vastuut on sovittu matkailuyritysten kanssa.",
    },
    {
        "experiment": "lahiluontokartta-asukkaille",
        "summary": "Asukkaiden täydentämä lähiluontokartta Rovaniemelle.",
        "own": "1800",
        "budget": [("Karttasovellus", "7000"), ("Polkujen merkitseminen", "1500")],
        "fails": "Opimme, millaisia paikkoja asukkaat pitävät tärkeinä.",
        "reach": "50–500",
        "scores": (3, 2),
        "decision": "rejected",
        "reasoning": "Vastaava palvelu on jo käytössä usealla kunnalla. Suosittelemme tutustumaan niihin casepankissa ja hakemaan kokeilua, joka lisää jotain uutta.",
    },
]


# The region's calls print the usual texts of a decision (funding/forms.py), completed as the
# organiser would.
DECISION_TEXTS = {
    name: text.replace(
        "[viranomainen, postiosoite ja kirjaamon sähköpostiosoite]",
        "Pohjois-Savon liitto, Sepänkatu 1, 70100 Kuopio, kirjaamo@pohjois-savo.fi",
    ).replace(
        "[myndighet, postadress och registraturens e-postadress]",
        "Norra Savolax förbund, Sepänkatu 1, 70100 Kuopio, kirjaamo@pohjois-savo.fi",
    )
    for name, text in CALL_TEMPLATES.items()
}
DECISION_MAKER_TITLE = "kehittämispäällikkö"


def _call(*, by: User, slug: str, **fields: Any) -> Call:
    call = services.call_save(by=by, criteria=CRITERIA, **DECISION_TEXTS, **fields)
    Call.objects.filter(pk=call.pk).update(slug=slug)
    call.refresh_from_db()
    return call


def _apply(call: Call, experiment: Experiment, data: dict[str, Any], by: User) -> Application:
    application = services.application_create(call=call, experiment=experiment, by=by)
    questions = list(call.questions.all())
    answers = {questions[0].pk: data["fails"]}
    if len(questions) > 1:
        answers[questions[1].pk] = data["reach"]
    services.application_save(
        application=application,
        by=by,
        summary=data["summary"],
        own_contribution=Decimal(data["own"]),
        budget_lines=[(text, Decimal(amount)) for text, amount in data["budget"]],
        answers=answers,
    )
    return services.application_submit(application=application, by=by)


def _review(application: Application, reviewer: User, value: int) -> None:
    assignment = ReviewAssignment.objects.get(application=application, reviewer=reviewer)
    criteria = list(application.call.criteria.all())
    scores = {c.pk: (value, "") for c in criteria}
    services.scores_save(
        assignment=assignment,
        by=reviewer,
        scores=scores,
        general_comment="Selkeä ja rohkea hakemus."
        if value >= 4
        else "Vastuut jäävät epäselviksi.",
    )
    services.review_submit(assignment=assignment, by=reviewer)


def _backdate(call: Call, opened_days_ago: int) -> None:
    """Move the round into the past: open for a month, decided two weeks after closing."""
    now = timezone.now()
    opens = now - timedelta(days=opened_days_ago)
    closes, decided = opens + timedelta(days=30), opens + timedelta(days=44)
    Call.objects.filter(pk=call.pk).update(opens_at=opens, closes_at=closes, created_at=opens)
    applications = Application.objects.filter(call=call)
    applications.update(
        created_at=opens + timedelta(days=5), submitted_at=opens + timedelta(days=20)
    )
    applications.exclude(decided_at=None).update(decided_at=decided)
    Decision.objects.filter(application__call=call).update(decided_at=decided)
    ReviewAssignment.objects.filter(application__call=call).update(
        assigned_at=closes + timedelta(days=1), submitted_at=closes + timedelta(days=8)
    )
    payable = Instalment.objects.filter(application__call=call).exclude(payable_at=None)
    payable.filter(trigger=InstalmentTrigger.APPROVAL).update(payable_at=decided)
    Payment.objects.filter(instalment__application__call=call).update(
        paid_on=timezone.localdate(decided + timedelta(days=9)),
        recorded_at=decided + timedelta(days=9),
    )


def load_demo_funding(
    *, coordinator: User, reviewers: list[User], applicants: dict[str, User]
) -> None:
    """The calls, the funded round and the waiting application. ``applicants`` are the
    experiment leads by municipality code (people.LEADS)."""
    if Call.objects.filter(slug=FAST_TRACK).exists():
        return
    now = timezone.now()
    region = Organisation.objects.get(slug="pohjois-savo-maakunta")
    themes = list(Theme.objects.filter(slug__in=["e-services", "participation", "mobility"]))

    funded = _call(
        by=coordinator,
        slug=ROUND,
        questions=QUESTIONS,
        title="Kuntakokeilut, kevään haku",
        title_sv="Kommunförsök, vårens utlysning",
        description="Enintään 15 000 euroa kokeiluun, joka ratkaisee kuntalaisten arjen ongelman digitaalisesti. Kaksi arvioijaa, päätös kahdessa viikossa haun päättymisestä.",
        description_sv="Högst 15 000 euro för ett försök som löser ett vardagsproblem för invånarna digitalt. Två bedömare, beslut inom två veckor efter att utlysningen stängt.",
        organiser=region,
        total_budget=Decimal("40000"),
        max_per_application=Decimal("15000"),
        own_contribution_percent=20,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        decision_days=14,
        report_due_days=30,
        reviewers_per_application=2,
        published=True,
        themes=themes,
    )
    for data in ROUND_APPLICATIONS:
        experiment = Experiment.objects.get(slug=data["experiment"])
        applicant = applicants[experiment.owner.municipality_id]
        application = _apply(funded, experiment, data, applicant)
        services.reviewers_assign(application=application, reviewers=reviewers, by=coordinator)
        for reviewer, value in zip(reviewers, data["scores"], strict=True):
            _review(application, reviewer, value)
        granted = Decimal(data["granted"]) if data.get("granted") else None
        services.decision_make(
            application=application,
            by=coordinator,
            outcome=data["decision"],
            reasoning=data["reasoning"],
            granted_amount=granted,
            conditions="Loppuraportti casepankkiin kuukauden kuluessa." if granted else "",
            instalments=[
                (granted * Decimal("0.7"), "approval"),
                (granted * Decimal("0.3"), "final_report"),
            ]
            if granted
            else None,
            decision_maker_title=DECISION_MAKER_TITLE,
        )
        # The bookkeeping paid the first instalment; the coordinator records it.
        for number, instalment in enumerate(application.instalments.exclude(payable_at=None)):
            services.payment_record(
                instalment=instalment,
                by=coordinator,
                paid_on=timezone.localdate(),
                amount=instalment.amount,
                reference=f"PSL-{application.pk:04d}-{number + 1}",
            )
        if data.get("report"):
            report = data["report"]
            services.report_submit(
                application=application,
                by=applicant,
                kind="final",
                results=report["results"],
                lessons=report["lessons"],
                outcome=report["outcome"],
                spent=Decimal(report["spent"]),
            )
    _backdate(funded, opened_days_ago=230)

    fast = _call(
        by=coordinator,
        slug=FAST_TRACK,
        questions=QUESTIONS,
        title="Digikokeilujen pikakaista",
        title_sv="Snabbspår för digitala försök",
        description=(
            "Enintään 10 000 euroa pieneen digitaaliseen kokeiluun. Yhden sivun hakemus, "
            "päätös 14 päivässä ja loppuraportti casepankkiin."
        ),
        description_sv=(
            "Högst 10 000 euro för ett litet digitalt försök. En ansökan på en sida, beslut "
            "inom 14 dagar och en slutrapport till exempelbanken."
        ),
        organiser=region,
        total_budget=Decimal("60000"),
        max_per_application=Decimal("10000"),
        own_contribution_percent=20,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=25),
        decision_days=14,
        report_due_days=30,
        fast_track=True,
        published=True,
        themes=themes,
    )
    _call(
        by=coordinator,
        slug=UPCOMING,
        questions=QUESTIONS[:1],
        title="Kuntakokeilut 2027",
        title_sv="Kommunförsök 2027",
        description="Laajempien kuntakokeilujen haku, jossa kaksi arvioijaa.",
        description_sv="Utlysning för större kommunförsök, med två bedömare.",
        organiser=region,
        total_budget=Decimal("300000"),
        max_per_application=Decimal("50000"),
        own_contribution_percent=30,
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=75),
        decision_days=30,
        report_due_days=60,
        published=True,
    )
    # Waiting for the reviewer persona: Kuopio's street lights, on the fast track.
    experiment = Experiment.objects.get(slug="katuvalojen-vikailmoitus-kartalta")
    _apply(
        fast,
        experiment,
        {
            "summary": "Katuvalojen vikailmoitukset kartalta suoraan urakoitsijalle koko kaupungissa.",
            "own": "2000",
            "budget": [("Karttapalvelun laajennus", "6000"), ("Rajapinta urakoitsijalle", "3000")],
            "fails": "Opimme, miksi sama vika ilmoitetaan moneen kertaan, vaikka kartta näyttää sen.",
            "reach": "yli 500",
        },
        applicants[experiment.owner.municipality_id],
    )
