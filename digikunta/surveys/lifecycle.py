"""When a survey takes answers, as pure functions: the pages, the API, the process's section
and the services all ask these, and copy none of it."""

from datetime import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class State(models.TextChoices):
    DRAFT = "draft", gettext_lazy("draft")
    UPCOMING = "upcoming", gettext_lazy("upcoming")
    OPEN = "open", gettext_lazy("open")
    CLOSED = "closed", gettext_lazy("closed")


def state(
    *,
    published_at: datetime | None,
    opens_at: datetime | None,
    closes_at: datetime | None,
    now: datetime,
) -> State:
    """A draft until published; then open from ``opens_at`` (or publication) until
    ``closes_at`` (or for good)."""
    if published_at is None:
        return State.DRAFT
    if opens_at is not None and now < opens_at:
        return State.UPCOMING
    if closes_at is not None and now >= closes_at:
        return State.CLOSED
    return State.OPEN


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def answer_problem(
    current: State, *, opens_at: datetime | None, closes_at: datetime | None
) -> str | None:
    """Why the survey takes no answer now, in the reader's language; None when it does."""
    if current == State.DRAFT:
        return _("This survey is not published yet, so it takes no answers.")
    if current == State.UPCOMING:
        return _("This survey opens on %(when)s; answer then.") % {"when": _when(opens_at)}
    if current == State.CLOSED:
        return _("This survey closed on %(when)s; it takes no more answers.") % {
            "when": _when(closes_at)
        }
    return None
