"""Demo funding calls for `digikunta demo`: an open fast-track call with one application
submitted from Kuopio, and an upcoming regular call. Idempotent."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from digikunta.experiments.models import Experiment, Theme
from digikunta.funding import services
from digikunta.funding.forms import CALL_TEMPLATES
from digikunta.funding.models import Application, Call
from digikunta.organisations.models import Organisation

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


# The demo's calls print the usual texts, completed as an organiser would (funding/forms.py).
DECISION_TEXTS: dict[str, Any] = {
    name: text.replace(
        "[viranomainen, postiosoite ja kirjaamon sähköpostiosoite]",
        "Uudenmaan liitto, Esterinportti 2 B, 00240 Helsinki, kirjaamo@uudenmaanliitto.fi",
    ).replace(
        "[myndighet, postadress och registraturens e-postadress]",
        "Nylands förbund, Esterportsvägen 2 B, 00240 Helsingfors, kirjaamo@uudenmaanliitto.fi",
    )
    for name, text in CALL_TEMPLATES.items()
}


def load_demo_funding(*, coordinator: Any, applicant: Any) -> None:
    if Call.objects.filter(slug="digikokeilujen-pikakaista").exists():
        return
    now = timezone.now()
    organiser = Organisation.objects.get(slug="pohjois-savo-maakunta")
    fast = services.call_save(
        by=coordinator,
        criteria=CRITERIA,
        questions=QUESTIONS,
        title="Digikokeilujen pikakaista",
        title_sv="Snabbspår för digitala försök",
        description=(
            "Enintään 10 000 euroa pieneen digitaaliseen kokeiluun. Yhden sivun hakemus, "
            "päätös 14 päivässä ja loppuraportti casepankkiin."
        ),
        description_sv=(
            "Högst 10 000 euro för ett litet digitalt försök. En ansökan på en sida, beslut "
            "inom 14 dagar och en slutrapport till fallbanken."
        ),
        organiser=organiser,
        total_budget=Decimal("60000"),
        max_per_application=Decimal("10000"),
        own_contribution_percent=20,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=25),
        decision_days=14,
        report_due_days=30,
        fast_track=True,
        published=True,
        **DECISION_TEXTS,
        themes=list(Theme.objects.all()[:3]),
    )
    Call.objects.filter(pk=fast.pk).update(slug="digikokeilujen-pikakaista")
    fast.refresh_from_db()
    services.call_save(
        by=coordinator,
        criteria=CRITERIA,
        questions=QUESTIONS[:1],
        title="Kuntakokeilut 2027",
        title_sv="Kommunförsök 2027",
        description="Laajempien kuntakokeilujen haku, jossa kaksi arvioijaa.",
        description_sv="Utlysning för större kommunförsök, med två bedömare.",
        organiser=organiser,
        total_budget=Decimal("300000"),
        max_per_application=Decimal("50000"),
        own_contribution_percent=30,
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=75),
        decision_days=30,
        report_due_days=60,
        published=True,
        **DECISION_TEXTS,
    )
    experiment = Experiment.objects.filter(owner__slug="kuopio").order_by("pk").first()
    if experiment is None or Application.objects.filter(experiment=experiment).exists():
        return
    application = services.application_create(call=fast, experiment=experiment, by=applicant)
    questions = list(fast.questions.all())
    services.application_save(
        application=application,
        by=applicant,
        summary="Kirjaston ryhmätilat varattaviksi verkossa ja ovet auki puhelimella.",
        own_contribution=Decimal("2000"),
        budget_lines=[
            ("Älylukot kolmeen tilaan", Decimal("6000")),
            ("Varauskalenterin käyttöönotto", Decimal("3000")),
        ],
        answers={
            questions[0].pk: "Opimme, miksi tiloja ei varata, vaikka se olisi helppoa.",
            questions[1].pk: "50–500",
        },
    )
    services.application_submit(application=application, by=applicant)
