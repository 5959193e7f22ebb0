"""What of an idea is searchable: its words, its theme and where it is (the same Finnish and
Swedish analysis as the case bank, search/analysis.py)."""

from digikunta.participation.models import Idea
from digikunta.search.services import index_object


def idea_text(idea: Idea) -> tuple[str, str, str]:
    """(title, body, language) for the search index."""
    parts = [idea.body, idea.address]
    if idea.theme is not None:
        parts += [idea.theme.name_fi, idea.theme.name_sv]
    return idea.title, "\n".join(p for p in parts if p), idea.language


def idea_index(idea: Idea) -> None:
    title, body, language = idea_text(idea)
    index_object(idea, title=title, body=body, language=language)
