"""Who may do what with surveys.

A survey in a participation process is run by those who run the process (``can(user, "change",
process)``: the organiser's administrators and the coordinators); a survey of its own by its
organisation's administrators and the coordinators. Its runners build, publish and close it,
see its free-text answers and download every response. Everyone sees a published survey (in a
published process), and its counts when the results are public. Who may *answer* is the
services' question (``services.answer_problem``): the survey must be open, and a signed-in
survey in a process needs a standing in it (participation.eligibility).
"""

from typing import Any

import rules

from digikunta.accounts.rules import is_coordinator, is_superuser
from digikunta.core.permissions import can
from digikunta.organisations.models import MembershipRole
from digikunta.organisations.rules import _role_in, organisation_roles

staff = is_coordinator | is_superuser


@rules.predicate
def runs_survey(user: Any, survey: Any) -> bool:
    if survey is None or not user.is_authenticated:
        return False
    if survey.process_id is not None:
        return can(user, "change", survey.process)
    return bool(staff(user)) or _role_in(user, survey.organiser_id) == MembershipRole.ADMIN


@rules.predicate
def is_published(user: Any, survey: Any) -> bool:
    if survey is None or survey.published_at is None:
        return False
    return survey.process_id is None or survey.process.published_at is not None


@rules.predicate
def has_public_results(user: Any, survey: Any) -> bool:
    return survey is not None and survey.has_public_results


@rules.predicate
def may_start_surveys(user: Any) -> bool:
    """Administers an organisation (a survey of its own or in a process it runs)."""
    return any(role == MembershipRole.ADMIN for role in organisation_roles(user).values())


rules.add_perm("surveys.add_survey", rules.is_authenticated & (staff | may_start_surveys))
rules.add_perm("surveys.view_survey", is_published | runs_survey)
rules.add_perm("surveys.change_survey", runs_survey)
rules.add_perm("surveys.view_results_survey", (is_published & has_public_results) | runs_survey)
# Free text and the response-by-response table: never public (issue 11, item 7).
rules.add_perm("surveys.view_texts_survey", runs_survey)
