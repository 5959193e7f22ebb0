"""Who may see and change experiments."""

from typing import Any

import rules

from digikunta.accounts.rules import is_coordinator, is_superuser
from digikunta.experiments.models import TeamRole, Visibility
from digikunta.organisations.models import MembershipRole
from digikunta.organisations.rules import _role_in, organisation_roles


def _team_role(user: Any, experiment: Any) -> str | None:
    if experiment is None or not user.is_authenticated:
        return None
    # request.user is a lazy object
    cache: dict[int, str | None] | None = getattr(user, "_experiment_roles", None)
    if cache is None:
        cache = user._experiment_roles = {}
    if experiment.pk not in cache:
        member = experiment.team.filter(user=user).values_list("role", flat=True).first()
        cache[experiment.pk] = member
    return cache[experiment.pk]


@rules.predicate
def is_public(user: Any, experiment: Any) -> bool:
    return experiment is not None and experiment.visibility == Visibility.PUBLIC


@rules.predicate
def is_published(user: Any, experiment: Any) -> bool:
    return experiment is not None and experiment.visibility != Visibility.DRAFT


@rules.predicate
def is_on_team(user: Any, experiment: Any) -> bool:
    return _team_role(user, experiment) is not None


@rules.predicate
def is_lead(user: Any, experiment: Any) -> bool:
    return _team_role(user, experiment) == TeamRole.LEAD


@rules.predicate
def is_owner_member(user: Any, experiment: Any) -> bool:
    return experiment is not None and _role_in(user, experiment.owner_id) is not None


@rules.predicate
def is_owner_admin(user: Any, experiment: Any) -> bool:
    return experiment is not None and _role_in(user, experiment.owner_id) == MembershipRole.ADMIN


@rules.predicate
def belongs_to_an_organisation(user: Any) -> bool:
    return bool(organisation_roles(user))


staff = is_coordinator | is_superuser

rules.add_perm(
    "experiments.view_experiment",
    is_public
    | (
        rules.is_authenticated
        & (is_on_team | (is_published & is_owner_member) | is_owner_admin | staff)
    ),
)
rules.add_perm("experiments.add_experiment", belongs_to_an_organisation)
rules.add_perm(
    "experiments.change_experiment",
    rules.is_authenticated & (is_lead | is_on_team | is_owner_admin | staff),
)
rules.add_perm(
    "experiments.transition_experiment",
    rules.is_authenticated & (is_lead | is_owner_admin | staff),
)
# A coordinator may mark an experiment spread that spread outside Digikunta; others need a
# reuse by another organisation (lifecycle.py).
rules.add_perm("experiments.attest_spread_experiment", rules.is_authenticated & staff)
rules.add_perm(
    "experiments.publish_experiment",
    rules.is_authenticated & (is_lead | is_owner_admin | staff),
)
rules.add_perm(
    "experiments.manage_team_experiment",
    rules.is_authenticated & (is_lead | is_owner_admin | staff),
)
rules.add_perm("experiments.reuse_experiment", is_public & belongs_to_an_organisation)

# The theme taxonomy is the coordinators': add, rename, retire, merge (views.theme_list).
rules.add_perm("experiments.change_theme", rules.is_authenticated & staff)
