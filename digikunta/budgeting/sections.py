"""The vote's part of a process's page (participation.sections): where it stands, in two
queries."""

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digikunta.budgeting import selectors
from digikunta.participation.models import Process
from digikunta.participation.sections import Section


def process_sections(process: Process, user: Any) -> list[Section]:
    if not selectors.has_areas(process):
        return []
    state = selectors.voting_state(process)
    url = reverse("budgeting:budget", args=[process.slug])
    title = _("Participatory budgeting")
    if state.has_closed:
        return [
            Section(
                title=title,
                summary=_("Voting has closed; the results are published."),
                url=reverse("budgeting:results", args=[process.slug]),
                link_text=_("See the results"),
                order=20,
            )
        ]
    if state.is_open and state.closes_on is not None:
        count = selectors.ballot_count(process)
        summary = ngettext(
            "Voting open until %(date)s: %(count)s ballot cast.",
            "Voting open until %(date)s: %(count)s ballots cast.",
            count,
        ) % {"date": date_format(state.closes_on, "SHORT_DATE_FORMAT"), "count": count}
        return [Section(title, summary, url, _("Vote"), order=20)]
    if state.opens_on is not None and state.is_upcoming:
        summary = _("Voting opens on %(date)s. See the projects.") % {
            "date": date_format(state.opens_on, "SHORT_DATE_FORMAT")
        }
    else:
        summary = _("The projects and their budgets.")
    return [Section(title, summary, url, _("See the projects"), order=20)]
