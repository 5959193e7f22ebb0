"""The panels' part of a process's page (participation.sections): each panel the viewer may
see, where it stands and the way in; and for those who run the process, the way to set one up.
One query for the panels, with their numbers of volunteers."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digikunta.core.permissions import can
from digikunta.panels.models import CitizensPanel, PanelState
from digikunta.panels.selectors import panels_of
from digikunta.participation import sections
from digikunta.participation.models import Process

ORDER = 40


def summary(panel: CitizensPanel, volunteers: int) -> str:
    """Where the panel stands, in one line of the reader's language."""
    if panel.state == PanelState.DRAFT:
        return _("Draft: only those who run the process see it.")
    if panel.is_drawn and panel.drawn_at:
        date = date_format(timezone.localtime(panel.drawn_at), "SHORT_DATE_FORMAT")
        return ngettext(
            "Drawn by lot on %(date)s: %(seats)s seat.",
            "Drawn by lot on %(date)s: %(seats)s seats.",
            panel.seats,
        ) % {"date": date, "seats": panel.seats}
    if panel.is_registration_open():
        date = date_format(timezone.localtime(panel.registration_closes_at), "SHORT_DATE_FORMAT")
        return ngettext(
            "Volunteer by %(date)s: %(count)s volunteer so far.",
            "Volunteer by %(date)s: %(count)s volunteers so far.",
            volunteers,
        ) % {"date": date, "count": volunteers}
    return ngettext(
        "Registration has closed with %(count)s volunteer; the draw is coming.",
        "Registration has closed with %(count)s volunteers; the draw is coming.",
        volunteers,
    ) % {"count": volunteers}


def panel_sections(process: Process, user: Any) -> list[sections.Section]:
    found = []
    for panel in panels_of(process, user):
        if panel.is_registration_open():
            link_text = _("Read more and volunteer")
        elif panel.is_drawn:
            link_text = _("See the draw")
        else:
            link_text = _("See the panel")
        found.append(
            sections.Section(
                title=_("Citizens' panel: %(title)s") % {"title": panel.localized_title},
                summary=summary(panel, getattr(panel, "volunteer_count", 0)),
                url=panel.get_absolute_url(),
                link_text=link_text,
                order=ORDER,
            )
        )
    if not found and can(user, "change", process):
        found.append(
            sections.Section(
                title=_("Citizens' panel"),
                summary=_(
                    "Residents volunteer and a panel that resembles them is drawn by lot, in "
                    "public, to deliberate on the process."
                ),
                url=reverse("panels:panel_create", args=[process.slug]),
                link_text=_("Set up a citizens' panel"),
                order=ORDER,
            )
        )
    return found


sections.register(panel_sections)
