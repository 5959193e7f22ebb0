"""Who may do what in participatory budgeting.

Those who run the process (participation.change_process: the organiser's administrators and
the coordinators) set the areas and budgets, add the projects and check their costs. Anyone who
sees the process sees its areas and the projects whose cost is checked. Voting needs the voting
phase and a standing in the process, which the services check (participation.services.check_can).
Nobody, managers included, may read another person's ballot: there is no permission for it.
"""

from typing import Any

import rules

from digikunta.core.permissions import can


@rules.predicate
def sees_the_process(user: Any, obj: Any) -> bool:
    return obj is not None and can(user, "view", _process(obj))


@rules.predicate
def runs_the_process(user: Any, obj: Any) -> bool:
    return obj is not None and can(user, "change", _process(obj))


@rules.predicate
def is_cost_checked(user: Any, project: Any) -> bool:
    return project is not None and project.cost_checked_at is not None


def _process(obj: Any) -> Any:
    """The process of an area or a project."""
    area = getattr(obj, "area", obj)
    return area.process


rules.add_perm("budgeting.view_budgetarea", sees_the_process)
rules.add_perm("budgeting.change_budgetarea", rules.is_authenticated & runs_the_process)
rules.add_perm("budgeting.view_project", sees_the_process & (is_cost_checked | runs_the_process))
rules.add_perm("budgeting.change_project", rules.is_authenticated & runs_the_process)
