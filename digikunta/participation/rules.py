"""Who may do what in resident participation.

The organiser's administrators (a municipality's or region's own people) and the programme
coordinators run a process: they edit it, set its phases and publish it. The organiser's members
answer ideas officially. Anyone sees a published process and its ideas; taking part (posting,
supporting, voting) also needs a standing in the process (eligibility.py), which the services
check with the phase.
"""

from typing import Any

import rules

from digikunta.accounts.rules import is_coordinator, is_superuser
from digikunta.organisations.models import Organisation, OrganisationKind
from digikunta.organisations.rules import _role_in, organisation_roles

staff = is_coordinator | is_superuser

# Organisations that open processes: municipalities and regions (their joint bodies alike).
ORGANISER_KINDS = {OrganisationKind.MUNICIPALITY, OrganisationKind.REGION}


@rules.predicate
def is_published(user: Any, process: Any) -> bool:
    return process is not None and process.published_at is not None


@rules.predicate
def is_organiser_admin(user: Any, process: Any) -> bool:
    return process is not None and _role_in(user, process.organiser_id) == "admin"


@rules.predicate
def is_organiser_member(user: Any, process: Any) -> bool:
    return process is not None and _role_in(user, process.organiser_id) is not None


@rules.predicate
def administers_an_organiser(user: Any) -> bool:
    """Administers a municipality or a region organisation (checked again on the form)."""
    if not any(role == "admin" for role in organisation_roles(user).values()):
        return False
    return organisers_for(user).exists()


def organisers_for(user: Any) -> Any:
    """The organisations in whose name the person may open a process."""
    if staff(user):
        return Organisation.objects.filter(kind__in=ORGANISER_KINDS)
    admin_of = [pk for pk, role in organisation_roles(user).items() if role == "admin"]
    return Organisation.objects.filter(pk__in=admin_of, kind__in=ORGANISER_KINDS)


@rules.predicate
def idea_process_visible(user: Any, idea: Any) -> bool:
    return idea is not None and (is_published(user, idea.process) or runs(user, idea.process))


@rules.predicate
def is_idea_author(user: Any, idea: Any) -> bool:
    return idea is not None and user.is_authenticated and idea.author_id == user.pk


@rules.predicate
def is_shown(user: Any, idea: Any) -> bool:
    """Not hidden by the moderators: a hidden idea is neither edited nor answered."""
    return idea is not None and idea.hidden_at is None


@rules.predicate
def is_unanswered(user: Any, idea: Any) -> bool:
    return idea is not None and not hasattr(idea, "answer")


@rules.predicate
def answers_for_the_process(user: Any, idea: Any) -> bool:
    return idea is not None and (is_organiser_member(user, idea.process) or staff(user))


@rules.predicate
def manages_the_idea(user: Any, idea: Any) -> bool:
    return idea is not None and runs(user, idea.process)


runs = rules.is_authenticated & (is_organiser_admin | staff)

rules.add_perm(
    "participation.add_process", rules.is_authenticated & (staff | administers_an_organiser)
)
rules.add_perm("participation.view_process", is_published | runs)
rules.add_perm("participation.change_process", runs)
rules.add_perm("participation.publish_process", runs)
rules.add_perm("participation.view_idea", idea_process_visible)
rules.add_perm(
    "participation.change_idea",
    rules.is_authenticated & is_shown & ((is_idea_author & is_unanswered) | manages_the_idea),
)
rules.add_perm(
    "participation.answer_idea", rules.is_authenticated & is_shown & answers_for_the_process
)
rules.add_perm(
    "participation.link_idea", rules.is_authenticated & is_shown & answers_for_the_process
)
