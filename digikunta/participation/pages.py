"""Which participation writes stale which cached pages (core/pagecache.py, ADR 0012).

``process:<slug>`` is a process's page: the process, its phases, its ideas with their answers
and the count still waiting. ``idea:<id>`` is an idea's page: the idea, its photos, its answer
and its support count. ``LISTING`` is the list of processes. A municipality's page shows its
open processes and latest ideas, so those writes stale ``municipality:<code>`` too.

Support counts move with ``QuerySet.update()`` (services.support_add), which sends no signal:
a support stales the idea's page through the Support row, never the process page, so that
supports arriving every second do not empty the cache of the idea list (its counts are then
at most PAGE_CACHE_SECONDS old for visitors who are not signed in; signed-in people always
see them exact).
"""

from collections.abc import Iterable

from digikunta.core import pagecache
from digikunta.core.pagecache import Change
from digikunta.experiments.models import Experiment
from digikunta.experiments.pages import experiment_key
from digikunta.municipalities.pages import municipality_key
from digikunta.participation.models import Answer, Idea, IdeaImage, Phase, Process, Support

LISTING = "processes:list"


def process_key(slug: str) -> str:
    return f"process:{slug}"


def idea_key(pk: int) -> str:
    return f"idea:{pk}"


def _area(process: Process) -> list[str]:
    codes = process.municipalities.values_list("code", flat=True)
    return [municipality_key(code) for code in codes]


def _process_keys(process: Process, change: Change) -> Iterable[str]:
    return [process_key(process.slug), LISTING, *_area(process)]


def _phase_keys(phase: Phase, change: Change) -> Iterable[str]:
    return _process_keys(phase.process, change)


def _idea_keys(idea: Idea, change: Change) -> Iterable[str]:
    yield from (idea_key(idea.pk), process_key(idea.process.slug), LISTING, *_area(idea.process))
    # The experiment it came to, and the one it left, list it under "Where the idea came from".
    for experiment_id in {idea.experiment_id, change.before.get("experiment")} - {None}:
        slug = Experiment.objects.filter(pk=experiment_id).values_list("slug", flat=True).first()
        if slug:
            yield experiment_key(slug)


def _answer_keys(answer: Answer, change: Change) -> Iterable[str]:
    return _idea_keys(answer.idea, change)


pagecache.register(Process, _process_keys)
pagecache.register(Phase, _phase_keys)
pagecache.register(Idea, _idea_keys, fields=("experiment",))
pagecache.register(Answer, _answer_keys)
pagecache.register(IdeaImage, lambda image, change: [idea_key(image.idea_id)])
pagecache.register(Support, lambda support, change: [idea_key(support.idea_id)])
