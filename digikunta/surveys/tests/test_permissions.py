"""Who may do what with a survey: a role × action matrix that fails when a rule drifts."""

import pytest

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.permissions import can
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory
from digikunta.participation.tests.factories import ProcessFactory
from digikunta.surveys.models import Survey
from digikunta.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

ACTIONS = ["view", "change", "view_results", "view_texts"]


def person(role):
    kuopio = Organisation.objects.get(slug="kuopio")
    if role == "visitor":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    if role == "coordinator":
        return UserFactory(roles=[PlatformRole.COORDINATOR])
    user = UserFactory()
    if role in {"admin", "member"}:
        kind = MembershipRole.ADMIN if role == "admin" else MembershipRole.MEMBER
        MembershipFactory(organisation=kuopio, user=user, role=kind)
    if role == "other_admin":
        oulu = Organisation.objects.get(slug="oulu")
        MembershipFactory(organisation=oulu, user=user, role=MembershipRole.ADMIN)
    return user


def allowed(user, survey):
    return [action for action in ACTIONS if can(user, action, survey)]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", ["view", "view_results"]),
        ("resident", ["view", "view_results"]),
        ("member", ["view", "view_results"]),
        ("other_admin", ["view", "view_results"]),
        ("admin", ACTIONS),
        ("coordinator", ACTIONS),
    ],
)
def test_a_published_survey_with_public_results(role, expected):
    assert allowed(person(role), SurveyFactory()) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", ["view"]),
        ("resident", ["view"]),
        ("admin", ACTIONS),
        ("coordinator", ACTIONS),
    ],
)
def test_a_published_survey_with_private_results(role, expected):
    assert allowed(person(role), SurveyFactory(has_public_results=False)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", []),
        ("resident", []),
        ("member", []),
        ("other_admin", []),
        ("admin", ACTIONS),
        ("coordinator", ACTIONS),
    ],
)
def test_a_draft(role, expected):
    assert allowed(person(role), SurveyFactory(draft=True)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", []),
        ("resident", []),
        ("admin", ACTIONS),
        ("coordinator", ACTIONS),
    ],
)
def test_a_published_survey_in_a_process_not_yet_published(role, expected):
    process = ProcessFactory(published_at=None)
    survey = SurveyFactory(process=process, organiser=process.organiser)
    assert allowed(person(role), survey) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", False),
        ("resident", False),
        ("member", False),
        ("admin", True),
        ("other_admin", True),
        ("coordinator", True),
    ],
)
def test_who_may_start_a_survey(role, expected):
    assert can(person(role), "add", Survey) is expected
