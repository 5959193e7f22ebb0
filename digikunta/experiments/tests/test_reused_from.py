"""A copy's "Started from" line names its original only to those who may see it (issue 8)."""

import pytest

from digikunta.experiments.models import Visibility
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ORIGINAL = "Alkuperäinen sisäinen kokeilu"


@pytest.fixture
def original(organisation):
    return ExperimentFactory(owner=organisation, title=ORIGINAL, visibility=Visibility.MEMBERS)


@pytest.fixture
def copy(original):
    return ExperimentFactory(owner=OrganisationFactory(), reused_from=original)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member_of_the_copy"])
def test_reused_from_hides_a_hidden_original(client, original, copy, outsider, who):
    if who == "outsider":
        client.force_login(outsider)
    elif who == "member_of_the_copy":
        MembershipFactory(organisation=copy.owner, user=outsider)
        client.force_login(outsider)

    page = client.get(f"/en/experiments/{copy.slug}/").content.decode()

    assert ORIGINAL not in page
    assert f"/experiments/{original.slug}/" not in page
    assert "Started from" not in page


def test_reused_from_names_a_visible_original(client, original, copy, member):
    client.force_login(member)
    page = client.get(f"/en/experiments/{copy.slug}/").content.decode()
    assert "Started from" in page
    assert ORIGINAL in page and f"/en/experiments/{original.slug}/" in page

    client.logout()
    original.visibility = Visibility.PUBLIC
    original.save(update_fields=["visibility"])
    assert ORIGINAL in client.get(f"/en/experiments/{copy.slug}/").content.decode()
