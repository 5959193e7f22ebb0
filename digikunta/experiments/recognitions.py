"""Recognitions that apps above experiments give an experiment, shown on its page: today the
month's experiment (home). Experiments knows them only through this registry, so it never
imports those apps (docs/architecture.md, layering rules)."""

from collections.abc import Callable
from dataclasses import dataclass

from digikunta.experiments.models import Experiment


@dataclass(frozen=True)
class Recognition:
    """One honour, in the reader's language: what it is, why (``citation``, written in
    ``language``, which may differ from the reader's), and where to read more."""

    title: str
    citation: str
    language: str
    url: str
    link_text: str


Source = Callable[[Experiment], list[Recognition]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add a source of recognitions (an app's ``AppConfig.ready`` registers it). A source
    answers in a fixed number of queries and stales ``experiment:<slug>`` when its rows
    change (core/pagecache.py), since the page and its shared parts are cached."""
    if source not in _sources:
        _sources.append(source)
    return source


def recognitions(experiment: Experiment) -> list[Recognition]:
    return [recognition for source in _sources for recognition in source(experiment)]
