"""Reads of the front page and of the month's experiment. Everything here is public and the
same for every viewer, so the front page can be cached whole (home/pages.py)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digikunta.experiments.models import Experiment, Status
from digikunta.experiments.recognitions import Recognition
from digikunta.experiments.selectors import LISTING_DEFERS
from digikunta.funding.models import Call
from digikunta.funding.selectors import open_calls
from digikunta.home.models import ExperimentOfTheMonth
from digikunta.municipalities.selectors import platform_figures

FINISHED = (Status.ENDED, Status.EVALUATED, Status.SPREAD)
SHOWN = 6  # experiments in each of the front page's lists
CALLS_SHOWN = 3


def _listed(experiments: QuerySet[Experiment]) -> QuerySet[Experiment]:
    """What an experiment card shows: the owner's name, not the long texts."""
    return experiments.select_related("owner__municipality", "owner__region").defer(*LISTING_DEFERS)


def latest_published(limit: int = SHOWN) -> list[Experiment]:
    """The public experiments published last: drafts and members-only ones never."""
    experiments = Experiment.objects.public().filter(published_at__isnull=False)
    return list(_listed(experiments).order_by("-published_at", "-pk")[:limit])


def latest_results(limit: int = SHOWN) -> list[Experiment]:
    """Public experiments that have ended, with their outcome, the latest first: those that did
    not succeed or stopped early too, since a failure is a result (PRODUCT.md)."""
    experiments = Experiment.objects.public().filter(status__in=FINISHED)
    return list(_listed(experiments).order_by("-updated_at", "-id")[:limit])


def month_current(today: date | None = None) -> ExperimentOfTheMonth | None:
    """The month's experiment now: this month's, or else the latest month's before it."""
    honours = ExperimentOfTheMonth.objects.shown(today).select_related(
        "experiment__owner__municipality", "experiment__owner__region"
    )
    return honours.defer(*(f"experiment__{name}" for name in LISTING_DEFERS)).first()


def months_shown() -> QuerySet[ExperimentOfTheMonth]:
    """The archive: every month's experiment so far, the latest first."""
    return (
        ExperimentOfTheMonth.objects.shown()
        .select_related("experiment__owner__municipality", "experiment__owner__region")
        .defer(*(f"experiment__{name}" for name in LISTING_DEFERS))
        .order_by("-month")
    )


def months_chosen(limit: int = 12) -> list[ExperimentOfTheMonth]:
    """The latest choices, months ahead included, for the coordinators' page."""
    honours = ExperimentOfTheMonth.objects.select_related("experiment", "chosen_by")
    return list(honours.order_by("-month")[:limit])


def month_title(honour: ExperimentOfTheMonth) -> str:
    # Translators: the honour's name with its month, e.g. "Experiment of the month, March 2026".
    return _("Experiment of the month, %(month)s") % {
        "month": date_format(honour.month, "YEAR_MONTH_FORMAT")
    }


def month_recognitions(experiment: Experiment) -> list[Recognition]:
    """The experiment's months of honour, for its page (experiments/recognitions.py)."""
    honours = ExperimentOfTheMonth.objects.filter(
        experiment=experiment, month__lte=timezone.localdate()
    ).order_by("-month")
    return [
        Recognition(
            title=month_title(honour),
            citation=honour.citation,
            language=honour.citation_language,
            url=honour.get_absolute_url(),
            link_text=_("All experiments of the month"),
        )
        for honour in honours
    ]


def public_experiment(slug: str) -> Experiment | None:
    """A public experiment by its address, for the coordinators' choice."""
    return Experiment.objects.public().filter(slug=slug).first()


@dataclass
class FrontPage:
    """What the front page shows of the programme's work."""

    month: ExperimentOfTheMonth | None
    published: list[Experiment]
    results: list[Experiment]
    calls: list[Call]
    figures: dict[str, int] = field(default_factory=dict)


def front_page(now: object = None) -> FrontPage:
    """Everything on the front page, in a fixed number of queries however much there is."""
    now = now or timezone.now()
    return FrontPage(
        month=month_current(timezone.localdate(now)),
        published=latest_published(),
        results=latest_results(),
        calls=open_calls(now=now, limit=CALLS_SHOWN),
        figures=platform_figures(),
    )
