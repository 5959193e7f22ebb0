"""The tally and the results: counted by the database, once per state of the ballots."""

from decimal import Decimal

import pytest

from digikunta.budgeting import selectors
from digikunta.budgeting.tests.factories import BallotFactory, BudgetAreaFactory, ProjectFactory
from digikunta.participation.models import PhaseKind
from digikunta.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return BudgetAreaFactory(
        process=ProcessFactory(phases=PhaseKind.IMPLEMENTATION), budget=Decimal(10000)
    )


def test_the_tally_counts_each_choice_of_each_ballot_of_the_process_only(area):
    a, b = ProjectFactory(area=area), ProjectFactory(area=area)
    BallotFactory(area=area, choices=[a.pk, b.pk])
    BallotFactory(area=area, choices=[a.pk])
    BallotFactory(area=area, choices=[])
    other = BudgetAreaFactory()
    BallotFactory(area=other, choices=[ProjectFactory(area=other).pk])
    assert selectors.votes_per_project(area.process) == {a.pk: 2, b.pk: 1}


def test_the_results_are_counted_once_until_a_ballot_changes(area, django_assert_num_queries):
    a, b = ProjectFactory(area=area), ProjectFactory(area=area)
    BallotFactory(area=area, choices=[b.pk])
    first = selectors.results(area.process)
    assert [(p.pk, o.votes) for p, o in first[0].rows] == [(b.pk, 1), (a.pk, 0)]
    with django_assert_num_queries(4):  # ballots per area, areas, projects, municipalities
        selectors.results(area.process)
    BallotFactory(area=area, choices=[a.pk])
    BallotFactory(area=area, choices=[a.pk])
    again = selectors.results(area.process)
    assert [(p.pk, o.votes) for p, o in again[0].rows] == [(a.pk, 2), (b.pk, 1)]
    assert again[0].ballots == 3
