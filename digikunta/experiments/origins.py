"""Where an experiment came from, told by the apps above experiments: today the residents'
ideas it takes forward (participation). Experiments knows them only through this registry, as
with recognitions.py, so it never imports those apps (docs/architecture.md, layering rules)."""

from collections.abc import Callable
from dataclasses import dataclass

from digikunta.experiments.models import Experiment


@dataclass(frozen=True)
class Origin:
    """One source of the experiment: its title in ``language``, where to read it, and one
    line in the reader's language ("Residents' idea in Kuopio, 41 supports")."""

    title: str
    language: str
    url: str
    summary: str


Source = Callable[[Experiment], list[Origin]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add a source of origins (an app's ``AppConfig.ready`` registers it). A source answers
    in a fixed number of queries and stales ``experiment:<slug>`` when its rows change."""
    if source not in _sources:
        _sources.append(source)
    return source


def origins(experiment: Experiment) -> list[Origin]:
    return [origin for source in _sources for origin in source(experiment)]
