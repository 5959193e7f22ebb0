"""What apps above participation add to a process's page: the budgeting vote, the citizens'
panel, surveys. Participation knows them only through this registry, so it never imports those
apps (docs/architecture.md, layering rules)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from digikunta.participation.models import Process


@dataclass(frozen=True)
class Section:
    """One part of a process, in the reader's language: its heading, one line of what it is
    or where it stands ("Voting open until 31.5.: 1,234 ballots"), and the way in."""

    title: str
    summary: str
    url: str
    link_text: str
    order: int = 50


Source = Callable[[Process, Any], list[Section]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add a source of sections (an app's ``AppConfig.ready`` registers it), called with the
    process and the viewer; it answers in a fixed number of queries, and the same for every
    visitor who is not signed in, since the process page is cached for them: the app stales
    ``participation.pages.process_key(slug)`` when what its section shows changes."""
    if source not in _sources:
        _sources.append(source)
    return source


def sections(process: Process, user: Any) -> list[Section]:
    found = [section for source in _sources for section in source(process, user)]
    return sorted(found, key=lambda section: section.order)
