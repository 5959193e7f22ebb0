"""Moderated content for the tests: journal entries, the first kind registered (issue 11)."""

import pytest

from digikunta.accounts.services import token_create
from digikunta.experiments import services as experiment_services
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory


@pytest.fixture
def experiment(organisation, member):
    """A public experiment; ``member`` leads it."""
    experiment = ExperimentFactory(owner=organisation, title="Kirjaston iltapäivät")
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


@pytest.fixture
def entry(experiment, member):
    """A journal entry by ``member``, with a word found nowhere else."""
    return experiment_services.journal_entry_create(
        experiment=experiment,
        by=member,
        body="Osta halpoja kellokorvakoruja osoitteesta example.com!",
        language="fi",
    )


@pytest.fixture
def auth():
    def _auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}

    return _auth
