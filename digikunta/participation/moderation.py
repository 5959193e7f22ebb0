"""Ideas are moderated content (issue 11, item 8): anyone signed in who sees an idea may report
it, and the moderators may hide it (digikunta/moderation, ADR 0020).

Hidden, an idea keeps its page as the moderators' reason and leaves the idea lists, the
municipality's page, search, the API and the experiment's "where the idea came from"
(``VISIBLE`` in selectors.py and api.py); its process's kept counts leave it out too. Its
save stales the pages that show it (pages.py).
"""

from typing import Any

from django.db.models import F

from digikunta.core.permissions import can
from digikunta.moderation import registry
from digikunta.participation.models import Answer, Idea, Process
from digikunta.participation.search_text import idea_index
from digikunta.search.services import remove_object


def idea_changed(idea: Idea) -> None:
    """Hidden or restored, in the moderators' transaction: out of search and the counts, or
    back in."""
    step = -1 if idea.is_hidden else 1
    answered = step if Answer.objects.filter(idea=idea).exists() else 0
    Process.objects.filter(pk=idea.process_id).update(
        idea_count=F("idea_count") + step, answered_count=F("answered_count") + answered
    )
    if idea.is_hidden:
        remove_object(idea)
    else:
        idea_index(idea)


def idea_visible_to(user: Any, idea: Idea) -> bool:
    return can(user, "view", idea)


def register() -> None:
    registry.register(
        Idea,
        author=lambda idea: idea.author,
        title=lambda idea: idea.title,
        url=lambda idea: idea.get_absolute_url(),
        text=lambda idea: idea.body,
        visible_to=idea_visible_to,
        on_change=idea_changed,
        related=("author", "process"),
    )
