"""Thirty simultaneous casts by one person leave one ballot, counted once (issue 11, "Done
when"), on PostgreSQL, where the requests really run at once."""

import threading

import pytest
from django.db import connection, connections

from digikunta.accounts.tests.factories import UserFactory
from digikunta.budgeting import selectors, services
from digikunta.budgeting.models import Ballot
from digikunta.budgeting.tests.factories import BudgetAreaFactory, ProjectFactory, declare_resident


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_thirty_simultaneous_ballots_from_one_person_count_once(reference_data):
    area = BudgetAreaFactory()
    projects = [ProjectFactory(area=area, estimated_cost=1000) for _ in range(5)]
    voter = UserFactory()
    declare_resident(voter, area.process)
    barrier = threading.Barrier(30)
    casts: list[services.Cast] = []
    errors: list[Exception] = []

    def cast(n: int) -> None:
        try:
            barrier.wait()
            chosen = [projects[n % 5].pk, projects[(n + 1) % 5].pk]
            casts.append(
                services.ballot_cast(voter=voter, process=area.process, project_ids=chosen)
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Ballot.objects.count() == 1
    assert sum(1 for c in casts if c.is_new) == 1  # one receipt code, for the one ballot
    ballot = Ballot.objects.get()
    assert ballot.voter == voter and len(ballot.choices) == 2
    assert sum(selectors.votes_per_project(area.process).values()) == 2
