"""What a request keeps on the person's user object, and when it forgets it."""

import pytest
from django.utils.functional import SimpleLazyObject

from digikunta.experiments import services
from digikunta.experiments.selectors import experiments_visible_to, team_roles
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_joining_a_team_is_seen_in_the_same_request_through_the_lazy_user(outsider):
    hidden = ExperimentFactory(owner=OrganisationFactory(), visibility="members")
    user = SimpleLazyObject(lambda: outsider)  # as request.user is
    assert hidden not in experiments_visible_to(user)
    assert team_roles(user) == {}  # kept for the request

    services.team_member_add(experiment=hidden, user=user, role="member")

    assert team_roles(user) == {hidden.pk: "member"}
    assert hidden in experiments_visible_to(user)
