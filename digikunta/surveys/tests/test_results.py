"""Results: the counts are right, the charts carry their tables, free text reaches only those
who run the survey, and the CSV files say the same."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from digikunta.accounts.tests.factories import UserFactory
from digikunta.surveys import selectors, services
from digikunta.surveys.tests.factories import SurveyFactory, every_kind

pytestmark = pytest.mark.django_db

SECRET = "Salainen toive: kirjaston kahvio auki sunnuntaisin"


def answer(survey, questions, single=0, multiple=(0,), scale=None, text=""):
    q_single, q_multiple, q_scale, q_text = questions
    singles, multiples = list(q_single.choices.all()), list(q_multiple.choices.all())
    answers = {
        q_single.pk: singles[single].pk if single is not None else None,
        q_multiple.pk: [multiples[i].pk for i in multiple],
        q_scale.pk: scale,
        q_text.pk: text,
    }
    return services.response_submit(survey=survey, user=UserFactory(), answers=answers)


@pytest.fixture
def answered(survey, questions):
    """Four responses: the scale left out once (it is optional here), one free text."""
    questions[2].is_required = False
    questions[2].save()
    answer(survey, questions, single=0, multiple=(0, 1), scale=5, text=SECRET)
    answer(survey, questions, single=0, multiple=(1,), scale=4)
    answer(survey, questions, single=1, multiple=(1, 2), scale=2)
    answer(survey, questions, single=2, multiple=(0,), scale=None)
    return survey


def test_the_counts_percentages_and_mean_are_those_of_the_answers(answered):
    results = selectors.survey_results(answered)
    assert results.responses == 4
    single, multiple, scale, text = results.questions
    assert [(b.count, b.percent) for b in single.rows] == [(2, 50.0), (1, 25.0), (1, 25.0)]
    assert multiple.answered == 4
    assert [(b.count, b.percent) for b in multiple.rows] == [(2, 50.0), (3, 75.0), (1, 25.0)]
    assert scale.answered == 3  # of those who answered it
    assert [b.count for b in scale.rows] == [0, 1, 0, 1, 1]
    assert scale.mean == pytest.approx(3.67)
    assert text.answered == 1 and text.rows == []


def test_the_counts_come_from_one_query(answered):
    with CaptureQueriesContext(connection) as queries:
        selectors.counted(answered)
    assert len(queries) == 1


def test_a_survey_without_answers_has_zero_everywhere(survey, questions):
    results = selectors.survey_results(survey)
    assert results.responses == 0
    assert all(b.count == 0 and b.percent == 0 for q in results.questions for b in q.rows)
    assert results.questions[2].mean is None


def test_everyone_sees_public_results_with_a_chart_and_its_table_but_no_free_text(client, answered):
    response = client.get(reverse("surveys:survey_results", args=[answered.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<svg viewBox="0 0 640') == 3  # single, multiple, scale
    assert page.count("<table>") == 3
    assert "<caption>Kysymyksen 1 vastaukset</caption>" in page
    assert "2 (50\u00a0%)" in page  # the bar's figure
    assert "keskiarvo 3,67" in page
    assert SECRET not in page
    assert "Vapaat tekstivastaukset näkevät vain kyselyn hoitajat." in page
    assert reverse("surveys:responses_csv", args=[answered.pk]) not in page


def test_the_runner_reads_the_free_text_on_the_results_page(client, answered, runner):
    client.force_login(runner)
    page = client.get(reverse("surveys:survey_results", args=[answered.pk])).content.decode()
    assert SECRET in page
    assert reverse("surveys:responses_csv", args=[answered.pk]) in page


def test_results_that_are_not_public_are_refused_to_others(client, answered, runner, resident):
    answered.has_public_results = False
    answered.save()
    url = reverse("surveys:survey_results", args=[answered.pk])
    csv_url = reverse("surveys:results_csv", args=[answered.pk])
    assert client.get(url).status_code == 403
    client.force_login(resident)
    assert client.get(url).status_code == 403
    assert client.get(csv_url).status_code == 403
    client.force_login(runner)
    assert client.get(url).status_code == 200
    assert client.get(csv_url).status_code == 200


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_counts_csv_is_for_everyone_and_holds_no_free_text(client, answered):
    response = client.get(reverse("surveys:results_csv", args=[answered.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0] == [
        "question",
        "question_text",
        "kind",
        "answered",
        "answer",
        "count",
        "percent",
        "mean",
    ]
    assert ["1", "Milloin kävisit?", "single", "4", "Aamulla", "2", "50.0", ""] in rows
    assert ["3", "Kuinka tyytyväinen olet?", "scale", "3", "keskiarvo", "", "", "3.67"] in rows
    assert ["4", "Mitä muuta haluat sanoa?", "text", "1", "", "1", "", ""] in rows
    assert SECRET not in str(rows)


def test_the_runners_csv_has_every_response_and_its_free_text_but_no_person(
    client, answered, runner
):
    client.force_login(runner)
    response = client.get(reverse("surveys:responses_csv", args=[answered.pk]))
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows[0][:3] == ["response", "submitted_on", "1. Milloin kävisit?"]
    assert len(rows) == 5
    assert rows[1][0] == "1"
    assert rows[1][2:] == ["Aamulla", "Lainaus;Lukusali", "5", SECRET]
    assert rows[4][2:] == ["Viikonloppuna", "Lainaus", "", ""]
    text = str(rows)
    assert "@example.fi" not in text and "Person" not in text


def test_a_formula_in_a_free_text_answer_opens_as_text(client, survey, questions, runner):
    answer(survey, questions, scale=3, text='=HYPERLINK("http://x")')
    client.force_login(runner)
    rows = read_csv(client.get(reverse("surveys:responses_csv", args=[survey.pk])))
    assert rows[1][-1] == '\'=HYPERLINK("http://x")'


def test_the_runners_csv_is_refused_to_everyone_else(client, answered, resident, org_admin):
    url = reverse("surveys:responses_csv", args=[answered.pk])
    assert client.get(url).status_code == 302  # to sign in
    for person in (resident, org_admin):
        client.force_login(person)
        assert client.get(url).status_code == 403


def test_the_results_page_costs_the_same_queries_for_2_and_20_questions(
    client, django_assert_max_num_queries, kuopio
):
    def queries_for(count):
        survey = SurveyFactory(organiser=kuopio)
        for _round in range(count // 4):
            every_kind(survey)
        url = reverse("surveys:survey_results", args=[survey.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_for(4) == queries_for(20)
