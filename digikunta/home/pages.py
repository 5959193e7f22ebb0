"""Which writes of the month's experiment stale which cached pages (core/pagecache.py, ADR 0012).

``MONTHS`` is what shows the month's experiment: the front page and the archive. A choice also
stales the honoured experiment's page (its badge), and the page of the experiment it replaced.
"""

from collections.abc import Iterable

from digikunta.core import pagecache
from digikunta.core.pagecache import Change
from digikunta.experiments.models import Experiment
from digikunta.experiments.pages import experiment_key
from digikunta.home.models import ExperimentOfTheMonth

MONTHS = "home:months"


def _month_keys(honour: ExperimentOfTheMonth, change: Change) -> Iterable[str]:
    yield MONTHS
    ids = {honour.experiment_id, change.before.get("experiment")}
    slugs = Experiment.objects.filter(pk__in=ids - {None}).values_list("slug", flat=True)
    yield from map(experiment_key, slugs)


pagecache.register(ExperimentOfTheMonth, _month_keys, fields=("experiment",))
