"""What a citizens' panel allows in each state, as pure rules the forms and services share:
draft → registration open → registration closed → drawn (docs/panels.md).

The traits a panel is stratified by are fixed once people can register (they are what the
volunteers were asked); the seats, the seed plan and the closing time are fixed by the draw,
which reads them; the texts can always be mended.
"""

from django.utils.translation import gettext as _

from digikunta.panels.models import PanelState

TEXTS = {"title", "title_sv", "description", "description_sv", "answer_days"}

EDITABLE: dict[str, set[str]] = {
    PanelState.DRAFT: TEXTS | {"seats", "stratify_by", "registration_closes_at", "seed_plan"},
    PanelState.OPEN: TEXTS | {"seats", "registration_closes_at", "seed_plan"},
    PanelState.CLOSED: TEXTS | {"seats", "seed_plan"},
    PanelState.DRAWN: TEXTS,
}


def editable(state: str) -> set[str]:
    return EDITABLE[PanelState(state)]


def edit_problem(state: str, field: str) -> str:
    """Why ``field`` cannot be changed in ``state``, in the reader's language."""
    if field == "stratify_by":
        return _("The traits cannot be changed once registration has opened.")
    if field == "registration_closes_at":
        return _("Registration has closed; its closing time is part of the record.")
    return _("The panel has been drawn; the draw's seats and seed are part of the record.")
