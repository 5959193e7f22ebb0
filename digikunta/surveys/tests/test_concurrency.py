"""Answers sent at the same moment count once per person, on PostgreSQL, where they truly run
at once (SQLite's IMMEDIATE transactions take turns)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from digikunta.accounts.tests.factories import UserFactory
from digikunta.organisations.models import Organisation
from digikunta.surveys import services
from digikunta.surveys.models import AnswerValue, Response
from digikunta.surveys.tests.factories import SurveyFactory, every_kind

ATTEMPTS = 12


def run_at_once(work):
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[object] = []

    def attempt(index):
        try:
            barrier.wait()
            outcomes.append(work(index))
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_one_person_answering_many_times_at_once_counts_once(reference_data):
    survey = SurveyFactory(organiser=Organisation.objects.get(slug="kuopio"), is_anonymous=False)
    single, multiple, scale, text = every_kind(survey)
    person = UserFactory()
    answers = {
        single.pk: single.choices.first().pk,
        multiple.pk: [multiple.choices.first().pk],
        scale.pk: 5,
    }

    outcomes = run_at_once(
        lambda _n: services.response_submit(survey=survey, user=person, answers=answers)
    )

    refused = [o for o in outcomes if isinstance(o, services.AnswerRefused)]
    stored = [o for o in outcomes if isinstance(o, Response)]
    assert len(stored) == 1, outcomes
    assert len(refused) == ATTEMPTS - 1
    assert {r.refusal.code for r in refused} == {"answered"}
    assert Response.objects.count() == 1
    assert AnswerValue.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_the_same_anonymous_form_sent_many_times_at_once_is_one_response(reference_data):
    survey = SurveyFactory(organiser=Organisation.objects.get(slug="kuopio"))
    single, multiple, scale, text = every_kind(survey)
    answers = {
        single.pk: single.choices.first().pk,
        multiple.pk: [multiple.choices.first().pk],
        scale.pk: 1,
    }

    outcomes = run_at_once(
        lambda _n: services.response_submit(
            survey=survey, user=UserFactory.build(), answers=answers, submission="f" * 32
        )
    )

    assert all(isinstance(o, Response) for o in outcomes), outcomes
    assert len({o.pk for o in outcomes}) == 1
    assert Response.objects.count() == 1
    assert AnswerValue.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_many_people_answering_at_once_are_each_counted(reference_data):
    survey = SurveyFactory(organiser=Organisation.objects.get(slug="kuopio"))
    single, multiple, scale, text = every_kind(survey)
    first, option = single.choices.first(), multiple.choices.first()
    people = [UserFactory() for _n in range(ATTEMPTS)]

    outcomes = run_at_once(
        lambda n: services.response_submit(
            survey=survey,
            user=people[n],
            answers={single.pk: first.pk, multiple.pk: [option.pk], scale.pk: 3},
        )
    )

    assert all(isinstance(o, Response) for o in outcomes), outcomes
    assert AnswerValue.objects.filter(choice=first).count() == ATTEMPTS


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_a_change_to_the_questions_waits_for_an_answer_in_flight_and_then_refuses(
    reference_data,
):
    survey = SurveyFactory(organiser=Organisation.objects.get(slug="kuopio"))
    single, multiple, scale, text = every_kind(survey)
    started, outcome = threading.Event(), []

    def change():
        try:
            started.set()
            services.question_save(
                survey=survey,
                question=single,
                kind="single",
                text="Toinen",
                choices=[("a", ""), ("b", "")],
            )
            outcome.append("saved")
        except ValidationError as error:
            outcome.append(error.code)
        finally:
            connections.close_all()

    with transaction.atomic():  # an answer being written: the lock, then its row
        services._hold_questions(survey)
        Response.objects.create(survey=survey)
        thread = threading.Thread(target=change)
        thread.start()
        started.wait()
        thread.join(timeout=1)
        assert thread.is_alive()  # the change waits for the answer
    thread.join()
    assert outcome == ["locked"]
    single.refresh_from_db()
    assert single.text == "Milloin kävisit?"
