"""The tally and the results: counted by the database, once per state of the ballots."""

from decimal import Decimal

import pytest

from digikunta.budgeting import selectors
from digikunta.budgeting.tests.factories import BallotFactory, BudgetAreaFactory, ProjectFactory
from digikunta.participation import services
from digikunta.participation.models import PhaseKind
from digikunta.participation.tests.factories import ProcessFactory, phases_around_today

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


def test_a_closed_votes_results_are_counted_once(area, django_assert_num_queries):
    a, b = ProjectFactory(area=area), ProjectFactory(area=area)
    BallotFactory(area=area, choices=[b.pk])
    first = selectors.results(area.process)
    assert [(p.pk, o.votes) for p, o in first[0].rows] == [(b.pk, 1), (a.pk, 0)]
    with django_assert_num_queries(4):  # phases, areas, their projects and municipalities
        again = selectors.results(area.process)
    assert [(p.pk, o.votes) for p, o in again[0].rows] == [(b.pk, 1), (a.pk, 0)]


def test_reopening_the_vote_counts_again(area):
    a = ProjectFactory(area=area)
    selectors.results(area.process)
    services.phases_set(process=area.process, phases=phases_around_today(PhaseKind.VOTING))
    BallotFactory(area=area, choices=[a.pk])
    assert selectors.results(area.process)[0].rows[0][1].votes == 1  # open: counted afresh
    services.phases_set(process=area.process, phases=phases_around_today(PhaseKind.IMPLEMENTATION))
    assert selectors.results(area.process)[0].ballots == 1
