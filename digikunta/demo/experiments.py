"""Demo experiments in Finnish and Swedish, for `digikunta demo` (idempotent by slug)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from digikunta.experiments import services
from digikunta.experiments.models import Experiment, LifeEvent, TargetGroup, Theme, Visibility
from digikunta.organisations.models import Organisation

# slug, owner municipality code, language, title, summary, problem, hypothesis, themes,
# target groups, life events, stages to pass, outcome, results, lessons,
# steps, (indicator name, unit, baseline, target, [values])
EXPERIMENTS: list[dict[str, Any]] = [
    {
        "slug": "kirjaston-tilavaraus-ja-ovenavaus",
        "municipality": "297",
        "language": "fi",
        "title": "Kirjaston tilavaraus, ovenavaus ja maksaminen yhdessä palvelussa",
        "summary": "Kuntalaiset varaavat kirjaston ryhmätilat verkossa, maksavat varauksen ja avaavat oven puhelimella.",
        "problem": "Tilavarauksen kulunvalvonta ja maksaminen ovat kolmessa eri järjestelmässä, ja avaimet haetaan virka-aikana.",
        "hypothesis": "Kun varaus, maksu ja ovi ovat yhdessä palvelussa, tilojen käyttöaste nousee ja henkilöstön aikaa vapautuu.",
        "themes": ["facilities", "e-services"],
        "target_groups": ["residents", "associations"],
        "life_events": [],
        "stages": ["planned", "running", "ended", "evaluated"],
        "outcome": "succeeded",
        "results": "Iltakäyttö kolminkertaistui. Avainten luovutukset loppuivat kokonaan.",
        "lessons": "Aloita yhdellä tilalla. Kysy käyttäjiltä joka viikko, mikä hidastaa varaamista.",
        "steps": ["Yksi tila, yksi kuukausi", "Maksaminen mukaan", "Kaikki ryhmätilat"],
        "indicator": ("Varaukset kuukaudessa", "kpl", 40, 120, [52, 81, 118, 131]),
    },
    {
        "slug": "etakokoukset-lautakunnille",
        "municipality": "091",
        "language": "fi",
        "title": "Etäkokoukset lautakunnille",
        "summary": "Lautakuntien kokouksiin voi osallistua etänä, ja pöytäkirjat allekirjoitetaan sähköisesti.",
        "problem": "Kokouksiin matkustaminen vie luottamushenkilöiltä iltoja.",
        "hypothesis": "Etäosallistuminen lisää läsnäoloa ja lyhentää pöytäkirjojen tarkastusta.",
        "themes": ["management", "participation"],
        "target_groups": ["elected-officials", "staff"],
        "life_events": [],
        "stages": ["planned", "running"],
        "steps": ["Yksi lautakunta kokeilee", "Sähköinen allekirjoitus"],
        "indicator": ("Läsnäoloprosentti", "%", 78, 95, [84, 91]),
    },
    {
        "slug": "kesaasukkaat-mukaan-kehittamiseen",
        "municipality": "507",
        "language": "fi",
        "title": "Kesäasukkaat mukaan kunnan kehittämiseen",
        "summary": "Noin 10 000 kesäasukasta kutsutaan kertomaan ideansa ja äänestämään kesän pienistä hankkeista.",
        "problem": "Vapaa-ajan asukkaat eivät tiedä, miten vaikuttaa kunnan asioihin.",
        "hypothesis": "Verkossa tapahtuva ideointi tavoittaa kesäasukkaat paremmin kuin yleisötilaisuudet.",
        "themes": ["participation"],
        "target_groups": ["summer-residents"],
        "life_events": ["LE-MOVE"],
        "stages": ["planned", "running", "ended", "evaluated"],
        "outcome": "did_not_succeed",
        "results": "Ideoita tuli vain 14. Kyselyyn vastasi 3 % kesäasukkaista.",
        "lessons": "Kutsu ei tavoittanut ketään ilman osoitetietoja. Seuraavalla kerralla yhteistyö kesämökkiyhdistysten kanssa ja kirje kiinteistöveron mukana.",
        "steps": ["Ideakilpailu verkossa"],
        "indicator": ("Ideoita", "kpl", 0, 200, [9, 14]),
    },
    {
        "slug": "digitala-invanartjanster-vasa",
        "municipality": "905",
        "language": "sv",
        "title": "Digital rådgivning för äldre invånare",
        "summary": "Frivilliga digistödjare hjälper äldre invånare att använda kommunens e-tjänster på biblioteket.",
        "problem": "Många äldre kommuninvånare ringer kommunen när e-tjänsterna inte fungerar för dem.",
        "hypothesis": "Personlig rådgivning på biblioteket minskar antalet samtal och ökar användningen av e-tjänster.",
        "themes": ["e-services", "wellbeing"],
        "target_groups": ["elderly"],
        "life_events": ["LE-RETIREMENT"],
        "stages": ["planned", "running", "ended"],
        "outcome": "partly",
        "results": "Samtalen minskade med en femtedel, men rådgivningen nådde mest dem som redan använde e-tjänster.",
        "steps": ["Två timmar i veckan på huvudbiblioteket", "Hembesök"],
        "indicator": ("Samtal till kundtjänsten per vecka", "st", 220, 150, [205, 184, 176]),
    },
    {
        "slug": "yrityksen-perustamisen-neuvonta",
        "municipality": "837",
        "language": "fi",
        "title": "Yrityksen perustamisen chat-neuvonta",
        "summary": "Elinkeinopalvelut vastaavat aloittavien yrittäjien kysymyksiin chatissa myös iltaisin.",
        "themes": ["vitality", "automation"],
        "target_groups": ["businesses"],
        "life_events": ["BE-START"],
        "stages": ["planned"],
        "steps": [],
        "indicator": None,
    },
]


def load_demo_experiments(by: Any) -> int:
    created = 0
    for data in EXPERIMENTS:
        if Experiment.objects.filter(slug__startswith=data["slug"]).exists():
            continue
        owner = Organisation.objects.get(municipality_id=data["municipality"])
        experiment = services.experiment_create(
            by=by,
            owner=owner,
            title=data["title"],
            summary=data["summary"],
            problem=data.get("problem", ""),
            hypothesis=data.get("hypothesis", ""),
            language=data["language"],
            themes=list(Theme.objects.filter(slug__in=data["themes"])),
            target_groups=list(TargetGroup.objects.filter(slug__in=data["target_groups"])),
            life_events=list(LifeEvent.objects.filter(code__in=data["life_events"])),
            starts_on=date(2026, 3, 1),
            visibility=Visibility.PUBLIC,  # the demo's experiments are published
        )
        Experiment.objects.filter(pk=experiment.pk).update(slug=data["slug"])
        experiment.refresh_from_db()
        for title in data["steps"]:
            services.step_save(experiment=experiment, title=title)
        if data["indicator"]:
            name, unit, baseline, target, values = data["indicator"]
            indicator = services.indicator_save(
                experiment=experiment,
                name=name,
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
            )
            for month, value in enumerate(values):
                services.measurement_add(
                    indicator=indicator,
                    measured_on=date(2026, 4, 1) + timedelta(days=30 * month),
                    value=Decimal(value),
                    by=by,
                )
        for stage in data["stages"]:
            services.experiment_transition(
                experiment=experiment,
                to=stage,
                by=by,
                results=data.get("results"),
                outcome=data.get("outcome"),
                lessons=data.get("lessons"),
            )
        created += 1
    return created
