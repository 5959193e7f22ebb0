"""Who may do what to an experiment: roles × actions, for public and members-only ones."""

import pytest
from django.contrib.auth.models import AnonymousUser

from digikunta.core.permissions import can
from digikunta.experiments.models import TeamRole
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory

ROLES = ["anonymous", "outsider", "member", "org_admin", "team_member", "coordinator", "reviewer"]

PUBLIC = {
    "view": set(ROLES),
    "change": {"org_admin", "team_member", "coordinator"},
    "transition": {"org_admin", "coordinator"},
    "manage_team": {"org_admin", "coordinator"},
    "reuse": {"member", "org_admin"},
    # Marking it spread without a reuse by another organisation (lifecycle.py).
    "attest_spread": {"coordinator"},
}
MEMBERS_ONLY_VIEW = {"member", "org_admin", "team_member", "coordinator"}


@pytest.fixture
def person(request, db):
    role = request.param
    if role == "anonymous":
        return AnonymousUser()
    if role == "team_member":
        from digikunta.accounts.tests.factories import UserFactory

        return UserFactory()
    return request.getfixturevalue(role)


@pytest.mark.django_db
@pytest.mark.parametrize("person", ROLES, indirect=True)
@pytest.mark.parametrize("action", sorted(PUBLIC))
@pytest.mark.parametrize("visibility", ["public", "members"])
def test_experiment_permissions(person, action, visibility, organisation, request):
    role = request.node.callspec.params["person"]
    experiment = ExperimentFactory(owner=organisation, visibility=visibility)
    if role == "team_member":
        TeamMemberFactory(experiment=experiment, user=person, role=TeamRole.MEMBER)
    allowed = PUBLIC[action]
    if visibility == "members":
        allowed = allowed & MEMBERS_ONLY_VIEW if action == "view" else allowed
        if action == "reuse":
            allowed = set()
    assert can(person, action, experiment) is (role in allowed)
