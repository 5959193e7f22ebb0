"""Support pressed by many at once, on PostgreSQL: the count stays exact (issue 11)."""

import threading

import pytest
from django.db import connection, connections

from digikunta.accounts.tests.factories import UserFactory
from digikunta.participation import services
from digikunta.participation.models import Support
from digikunta.participation.tests.factories import IdeaFactory, declare_resident

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]


def _at_once(work, count: int) -> list[object]:
    barrier = threading.Barrier(count)
    outcomes: list[object] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            outcomes.append(work(n))
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_thirty_supports_from_one_person_at_once_count_once(reference_data):
    idea = IdeaFactory()
    person = UserFactory()
    declare_resident(person, idea.process)
    outcomes = _at_once(lambda n: services.support_add(user=person, idea=idea), 30)
    assert sorted(outcomes, key=str) == [False] * 29 + [True]
    idea.refresh_from_db()
    assert idea.support_count == 1 == Support.objects.filter(idea=idea).count()


def test_thirty_people_supporting_at_once_are_all_counted(reference_data):
    idea = IdeaFactory()
    people = [UserFactory() for _ in range(30)]
    for person in people:
        declare_resident(person, idea.process)
    outcomes = _at_once(lambda n: services.support_add(user=people[n], idea=idea), 30)
    assert outcomes == [True] * 30
    idea.refresh_from_db()
    assert idea.support_count == 30 == Support.objects.filter(idea=idea).count()


def test_support_and_withdraw_racing_leave_the_count_equal_to_the_rows(reference_data):
    idea = IdeaFactory()
    person = UserFactory()
    declare_resident(person, idea.process)

    def press(n: int) -> bool:
        if n % 2:
            return services.support_remove(user=person, idea=idea)
        return services.support_add(user=person, idea=idea)

    _at_once(press, 30)
    idea.refresh_from_db()
    assert idea.support_count == Support.objects.filter(idea=idea).count() <= 1
