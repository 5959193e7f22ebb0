"""Surveys on a participation process's page (participation.sections): one section per survey
the viewer may see, with where it stands, and a way to add one for those who run the process."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digikunta.core.permissions import can
from digikunta.participation.models import Process
from digikunta.participation.sections import Section
from digikunta.surveys import selectors
from digikunta.surveys.lifecycle import State
from digikunta.surveys.models import Survey

ORDER = 60


def _when(moment: Any) -> str:
    return str(formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT"))


def summary(survey: Survey, responses: int) -> str:
    """ "Open until 31.5.2026: 123 responses", in the reader's language."""
    counted = ngettext("%(n)s response", "%(n)s responses", responses) % {
        "n": formats.number_format(responses, force_grouping=True)
    }
    state = survey.state()
    if state == State.DRAFT:
        return _("A draft, not published: %(counted)s.") % {"counted": counted}
    if state == State.UPCOMING:
        return _("Opens on %(day)s.") % {"day": _when(survey.opens_at)}
    if state == State.OPEN and survey.closes_at:
        return _("Open until %(day)s: %(counted)s.") % {
            "day": _when(survey.closes_at),
            "counted": counted,
        }
    if state == State.OPEN:
        return _("Open: %(counted)s.") % {"counted": counted}
    return _("Closed: %(counted)s.") % {"counted": counted}


def process_sections(process: Process, user: Any) -> list[Section]:
    """One query: the process's surveys this person may see, with their response counts."""
    found = []
    for survey in selectors.process_surveys(process, user):
        survey.process = process
        if survey.state() == State.OPEN:
            link_text, url = _("Answer the survey"), survey.get_absolute_url()
        elif can(user, "view_results", survey):
            link_text = _("See the results")
            url = reverse("surveys:survey_results", args=[survey.pk])
        else:
            link_text, url = _("Open the survey"), survey.get_absolute_url()
        title = _("Survey: %(title)s") % {"title": survey.localized_title}
        found.append(
            Section(
                title, summary(survey, getattr(survey, "response_count", 0)), url, link_text, ORDER
            )
        )
    if can(user, "change", process):
        found.append(
            Section(
                _("A new survey"),
                _("Ask the residents of the process with a survey of its own."),
                f"{reverse('surveys:survey_create')}?process={process.slug}",
                _("Start a survey in this process"),
                ORDER + 1,
            )
        )
    return found
