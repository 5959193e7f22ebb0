import pytest
from django.utils import translation

from digikunta.accounts.tests.factories import UserFactory
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory
from digikunta.surveys.tests.factories import SurveyFactory, every_kind


@pytest.fixture(autouse=True)
def _finnish():
    """Pages and messages in Finnish, whatever an earlier test's request left active."""
    with translation.override("fi"):
        yield


@pytest.fixture
def kuopio(db):
    return Organisation.objects.get(slug="kuopio")


@pytest.fixture
def runner(kuopio):
    """An administrator of Kuopio, who runs Kuopio's surveys."""
    user = UserFactory(name="Riikka Kyselijä", totp=True)
    MembershipFactory(organisation=kuopio, user=user, role=MembershipRole.ADMIN)
    return user


@pytest.fixture
def survey(kuopio):
    """Published, open, anonymous, with public results and one question of each kind."""
    return SurveyFactory(organiser=kuopio)


@pytest.fixture
def questions(survey):
    return every_kind(survey)
