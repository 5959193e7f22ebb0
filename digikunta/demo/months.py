"""Kuukauden kokeilu in the demo: the last four months' experiments, chosen by the coordinator
with citations in Finnish, Swedish and English (home/services.py). Idempotent by month."""

from datetime import date

from django.utils import timezone

from digikunta.accounts.models import User
from digikunta.experiments.models import Experiment
from digikunta.home.models import ExperimentOfTheMonth
from digikunta.home.services import experiment_of_the_month_choose

# Months ago, experiment slug, citations (fi, sv, en).
MONTHS: list[tuple[int, str, tuple[str, str, str]]] = [
    (
        0,
        "kirjaston-tilavaraus-ja-ovenavaus",
        (
            "Kuopio yhdisti tilavarauksen, ovenavauksen ja maksamisen yhdeksi palveluksi ja jakoi avoimesti, miten sen teki. Kaksi kuntaa on jo ottanut mallin käyttöön.",
            "Kuopio förenade lokalbokning, dörröppning och betalning i en tjänst och delade öppet hur det gick till. Två kommuner har redan tagit modellen i bruk.",
            "Kuopio joined room booking, door access and payment into one service and shared openly how. Two municipalities already use the model.",
        ),
    ),
    (
        1,
        "kesaasukkaat-mukaan-kehittamiseen",
        (
            "Mäntyharju kertoi rehellisesti, miksi kesäasukkaiden ideakilpailu epäonnistui – ja teki opeista uuden kokeilun. Epäonnistuminen on tulos.",
            "Mäntyharju berättade ärligt varför idétävlingen för fritidsboende misslyckades – och gjorde ett nytt försök av lärdomarna. Ett misslyckande är ett resultat.",
            "Mäntyharju told honestly why its summer residents' idea contest failed, and turned the lessons into a new experiment. A failure is a result.",
        ),
    ),
    (
        2,
        "skolskjutsar-med-oppna-data",
        (
            "Närpiö suunnitteli koulukuljetukset avoimella datalla ja kysyi ensin kuljettajilta. Reitit lyhenivät, ja perheet saivat tiedon ajoissa.",
            "Närpes planerade skolskjutsarna med öppna data och frågade chaufförerna först. Rutterna blev kortare och familjerna fick besked i tid.",
            "Närpes planned its school transport with open data and asked the drivers first. Routes got shorter and families heard in time.",
        ),
    ),
    (
        3,
        "lumenaurauksen-karttapalvelu",
        (
            "Oulu avasi aurauksen sijaintitiedon kaikkien käyttöön. Puhelut vähenivät kolmannekseen, ja tiedosta syntyi uusia palveluja.",
            "Uleåborg öppnade snöplogningens positionsdata för alla. Samtalen minskade till en tredjedel, och nya tjänster byggdes på dem.",
            "Oulu opened its snow ploughs' location data to all. Calls fell to a third, and others built new services on the data.",
        ),
    ),
]


def _months_ago(today: date, months: int) -> date:
    month = today.month - months
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def load_demo_months(*, coordinator: User, today: date | None = None) -> None:
    today = today or timezone.localdate()
    for months, slug, (fi, sv, en) in MONTHS:
        month = _months_ago(today, months)
        experiment = Experiment.objects.filter(slug=slug).first()
        if experiment is None or ExperimentOfTheMonth.objects.filter(month=month).exists():
            continue
        experiment_of_the_month_choose(
            experiment=experiment,
            month=month,
            citation_fi=fi,
            citation_sv=sv,
            citation_en=en,
            by=coordinator,
        )
