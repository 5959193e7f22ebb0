"""Who may do what with a citizens' panel.

A panel belongs to its process, and whoever runs the process (``change`` on it: the
organiser's administrators and the coordinators, participation/rules.py) runs its panels. A
published panel is seen by whoever sees the process; a draft only by those who run it.
Volunteering is checked by the services: registration open and a standing in the process.
"""

from typing import Any

import rules

from digikunta.core.permissions import can
from digikunta.panels.models import PanelState


@rules.predicate
def runs_the_process(user: Any, panel: Any) -> bool:
    return panel is not None and can(user, "change", panel.process)


@rules.predicate
def is_public(user: Any, panel: Any) -> bool:
    return (
        panel is not None and panel.state != PanelState.DRAFT and can(user, "view", panel.process)
    )


rules.add_perm("panels.view_citizenspanel", is_public | runs_the_process)
rules.add_perm("panels.change_citizenspanel", rules.is_authenticated & runs_the_process)
