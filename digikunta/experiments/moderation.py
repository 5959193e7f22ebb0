"""Journal entries are moderated content (issue 11, item 8): anyone signed in who sees the
experiment may report one, and the moderators may hide it (digikunta/moderation, ADR 0020).

Hidden, an entry keeps its place in the journal as the moderators' reason
(``experiment_detail.html``), and leaves the experiment's search text (``search_text``), the
API's journal and every file and history view of it. The page cache follows by itself: the
entry's save stales its experiment's page (pages.py).
"""

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from digikunta.core.permissions import can
from digikunta.experiments.models import JournalEntry
from digikunta.experiments.search_text import experiment_index
from digikunta.moderation import registry

KIND = "journal_entry"


def entry_title(entry: JournalEntry) -> str:
    date = formats.date_format(timezone.localtime(entry.created_at), "SHORT_DATE_FORMAT")
    return _("Journal entry of %(date)s in “%(experiment)s”") % {
        "date": date,
        "experiment": entry.experiment.title,
    }


def entry_url(entry: JournalEntry) -> str:
    return f"{entry.experiment.get_absolute_url()}#entry-{entry.pk}"


def entry_visible_to(user: Any, entry: JournalEntry) -> bool:
    return can(user, "view", entry.experiment)


def entry_changed(entry: JournalEntry) -> None:
    """Hidden or restored: the experiment's search text leaves it out or takes it back."""
    experiment_index(entry.experiment)


def register() -> None:
    registry.register(
        JournalEntry,
        kind=KIND,
        author=lambda entry: entry.author,
        title=entry_title,
        url=entry_url,
        text=lambda entry: entry.body,
        visible_to=entry_visible_to,
        on_change=entry_changed,
        related=("experiment", "author"),
    )
