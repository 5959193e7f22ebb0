"""Answering a survey: every kind of question, what is refused and why, and that a refused or
repeated answer writes nothing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from digikunta.accounts.tests.factories import UserFactory
from digikunta.participation import eligibility
from digikunta.participation.tests.factories import ProcessFactory, declare_resident
from digikunta.surveys.models import AnswerValue, Response, TextAnswer
from digikunta.surveys.tests.factories import SurveyFactory, every_kind
from digikunta.surveys.views import ANSWERED_COOKIE

pytestmark = pytest.mark.django_db


def url(survey):
    return reverse("surveys:survey_detail", args=[survey.pk])


def filled(questions, **changes):
    """A complete answer: the first option, two options, 4 on the scale and a comment."""
    single, multiple, scale, text = questions
    data = {
        f"q{single.pk}": str(single.choices.first().pk),
        f"q{multiple.pk}": [str(c.pk) for c in multiple.choices.all()[:2]],
        f"q{scale.pk}": "4",
        f"q{text.pk}": "Lauantaisin myös iltaisin.",
    }
    for key, value in changes.items():
        question = {"single": single, "multiple": multiple, "scale": scale, "text": text}[key]
        data[f"q{question.pk}"] = value
    return data


def test_the_page_asks_each_question_in_its_own_fieldset(client, survey, questions):
    single, multiple, scale, text = questions
    page = client.get(url(survey)).content.decode()
    assert "<legend>Milloin kävisit?" in page
    assert "<legend>Mitä käytät?" in page
    assert 'type="radio"' in page and 'type="checkbox"' in page
    assert "1 – en lainkaan" in page and "5 – erittäin" in page
    assert f'<textarea name="q{text.pk}"' in page


def test_the_page_is_in_swedish_for_a_swedish_reader(client, survey, questions):
    page = client.get(f"/sv/surveys/{survey.pk}/").content.decode()
    assert "När skulle du gå?" in page
    assert "1 – inte alls" in page


def test_an_anonymous_answer_is_stored_with_nobody_and_the_device_remembers_it(
    client, survey, questions, resident
):
    client.force_login(resident)  # signed in, but the survey is anonymous
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:survey_thanks", args=[survey.pk])
    stored = Response.objects.get()
    assert stored.user is None
    assert TextAnswer.objects.get().user is None
    assert AnswerValue.objects.count() == 4  # one option, two options, one scale value
    assert ANSWERED_COOKIE in response.cookies

    again = client.post(url(survey), filled(questions))
    assert again.status_code == 409
    assert "Tällä laitteella on jo vastattu tähän kyselyyn." in again.content.decode()
    assert Response.objects.count() == 1


def test_anyone_may_answer_an_anonymous_survey_without_an_account(client, survey, questions):
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 302
    assert Response.objects.get().user is None


def test_a_forged_cookie_is_ignored_rather_than_trusted(client, survey, questions):
    client.cookies[ANSWERED_COOKIE] = str(survey.pk)  # not signed by us
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 302


def test_a_missing_required_answer_is_a_422_that_keeps_the_other_answers(client, survey, questions):
    single, multiple, scale, text = questions
    response = client.post(url(survey), filled(questions, single="", scale=""))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Valitse yksi vaihtoehto." in page
    assert "Valitse luku 1–5." in page
    assert "Lauantaisin myös iltaisin." in page  # what was typed stays
    first, second, third = multiple.choices.all()
    assert re.search(rf'name="q{multiple.pk}" value="{first.pk}"[^>]* checked', page)
    assert re.search(rf'name="q{multiple.pk}" value="{second.pk}"[^>]* checked', page)
    assert not re.search(rf'name="q{multiple.pk}" value="{third.pk}"[^>]* checked', page)
    assert f'href="#id_q{single.pk}"' in page  # the summary links to the question
    assert not Response.objects.exists()


def test_a_multiple_choice_that_is_required_needs_one_option(client, survey, questions):
    response = client.post(url(survey), filled(questions, multiple=[]))
    assert response.status_code == 422
    assert "Valitse vähintään yksi vaihtoehto." in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "number", ["99999999999999999999", str(2**63), "-1", "0", "1e400", "abc", "another"]
)
def test_an_option_that_is_not_one_of_the_questions_is_refused(client, survey, questions, number):
    if number == "another":  # an option of another survey's question
        number = str(every_kind(SurveyFactory())[0].choices.first().pk)
    response = client.post(url(survey), filled(questions, single=number, multiple=[number]))
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count("Valitse jokin annetuista vaihtoehdoista.") == 4  # summary and field, twice
    assert not Response.objects.exists()
    assert not AnswerValue.objects.exists()


@pytest.mark.parametrize("value", ["0", "6", "-3", "4.5", "99999999999999999999", "x"])
def test_a_scale_value_outside_1_to_5_is_refused(client, survey, questions, value):
    response = client.post(url(survey), filled(questions, scale=value))
    assert response.status_code == 422
    assert "Valitse luku 1–5." in response.content.decode()
    assert not Response.objects.exists()


def test_a_free_text_answer_has_a_length_limit(client, survey, questions):
    response = client.post(url(survey), filled(questions, text="a" * 2001))
    assert response.status_code == 422
    assert "enintään 2" in response.content.decode()
    assert not Response.objects.exists()


def test_markup_in_an_answer_is_stored_as_text_and_shown_as_text(client, survey, questions, runner):
    hostile = '<script>alert("x")</script><b hx-post="/fi/">lihava</b>'
    assert client.post(url(survey), filled(questions, text=hostile)).status_code == 302
    assert TextAnswer.objects.get().text == hostile
    client.force_login(runner)
    page = client.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode()
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert" not in page and '<b hx-post="/fi/">' not in page


def test_the_same_filled_form_sent_twice_is_one_response(client, survey, questions):
    data = {**filled(questions), "submission": "a" * 32}
    first = client.post(url(survey), data)
    client.cookies.pop(ANSWERED_COOKIE)  # the second was sent before the first came back
    second = client.post(url(survey), data)
    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1
    assert AnswerValue.objects.count() == 4


def test_an_optional_question_may_be_left_empty(client, survey, questions):
    response = client.post(url(survey), filled(questions, text=""))
    assert response.status_code == 302
    assert not TextAnswer.objects.exists()


def test_a_closed_survey_takes_no_answer(client, survey, questions):
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.opens_at = timezone.now() - timedelta(days=7)
    survey.save()
    page = client.get(url(survey)).content.decode()
    assert "ei ota enää vastauksia" in page
    assert "Lähetä vastaukset" not in page
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_an_upcoming_survey_takes_no_answer_yet(client, survey, questions):
    survey.opens_at = timezone.now() + timedelta(days=1)
    survey.save()
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 409
    assert "avautuu" in response.content.decode()
    assert not Response.objects.exists()


def test_a_draft_is_not_found_by_others_and_only_previewed_by_its_runner(
    client, questions, survey, runner, resident
):
    survey.published_at = None
    survey.save()
    client.force_login(resident)
    assert client.get(url(survey)).status_code == 404
    assert client.post(url(survey), filled(questions)).status_code == 404
    client.force_login(runner)
    page = client.get(url(survey)).content.decode()
    assert "Esikatselu" in page
    assert "Lähetä vastaukset" not in page
    assert client.post(url(survey), filled(questions)).status_code == 409
    assert not Response.objects.exists()


def test_many_answers_from_one_network_are_stopped_with_a_message(
    client, survey, questions, settings
):
    settings.SURVEYS_ANSWER_RATE = "2/h"
    for _attempt in range(2):
        assert client.post(url(survey), filled(questions)).status_code == 302
        client.cookies.pop(ANSWERED_COOKIE)
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 429
    page = response.content.decode()
    assert "paljon vastauksia tähän kyselyyn" in page
    assert "Lauantaisin myös iltaisin." in page  # the answers are kept for a later try
    assert Response.objects.count() == 2


def test_the_thanks_page_links_to_public_results(client, survey, questions):
    page = client.get(reverse("surveys:survey_thanks", args=[survey.pk])).content.decode()
    assert reverse("surveys:survey_results", args=[survey.pk]) in page


def test_the_answering_page_answers_only_get_and_post(client, survey):
    assert client.put(url(survey)).status_code == 405


# --- Signed in ----------------------------------------------------------------------------


@pytest.fixture
def signed_in_survey(kuopio):
    survey = SurveyFactory(organiser=kuopio, is_anonymous=False)
    return survey, every_kind(survey)


def test_a_signed_in_survey_asks_a_visitor_to_sign_in(client, signed_in_survey):
    survey, questions = signed_in_survey
    page = client.get(url(survey)).content.decode()
    assert "Kirjaudu" in page
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_each_person_answers_a_signed_in_survey_once(client, signed_in_survey, resident):
    survey, questions = signed_in_survey
    client.force_login(resident)
    assert client.post(url(survey), filled(questions)).status_code == 302
    stored = Response.objects.get()
    assert stored.user == resident
    assert TextAnswer.objects.get().user == resident
    again = client.post(url(survey), filled(questions, scale="1"))
    assert again.status_code == 409
    assert Response.objects.count() == 1
    assert AnswerValue.objects.filter(scale=1).count() == 0


def test_the_service_refuses_a_second_answer_even_past_the_page(signed_in_survey, resident):
    from digikunta.surveys import services

    survey, questions = signed_in_survey
    answers = {questions[0].pk: questions[0].choices.first().pk}
    questions[1].is_required = questions[2].is_required = False
    questions[1].save()
    questions[2].save()
    services.response_submit(survey=survey, user=resident, answers=answers)
    with pytest.raises(services.AnswerRefused) as refused:
        services.response_submit(survey=survey, user=resident, answers=answers)
    assert refused.value.refusal.code == "answered"
    assert Response.objects.count() == 1


def test_another_person_may_answer_too(client, signed_in_survey, resident):
    survey, questions = signed_in_survey
    client.force_login(resident)
    client.post(url(survey), filled(questions))
    client.force_login(UserFactory())
    assert client.post(url(survey), filled(questions)).status_code == 302
    assert Response.objects.count() == 2


def test_a_signed_in_survey_in_a_process_takes_only_people_with_a_standing(
    client, kuopio, resident
):
    process = ProcessFactory(organiser=kuopio)
    survey = SurveyFactory(process=process, organiser=kuopio, is_anonymous=False)
    questions = every_kind(survey)
    client.force_login(resident)
    page = client.get(url(survey)).content.decode()
    assert escape(eligibility.eligibility_problem(resident, process)) in page
    assert process.get_absolute_url() in page
    response = client.post(url(survey), filled(questions))
    assert response.status_code == 403
    assert not Response.objects.exists()
    declare_resident(resident, process)
    assert client.post(url(survey), filled(questions)).status_code == 302
    assert Response.objects.get().user == resident


def test_an_anonymous_survey_in_a_process_takes_anyone(client, kuopio):
    process = ProcessFactory(organiser=kuopio)
    survey = SurveyFactory(process=process, organiser=kuopio)
    assert client.post(url(survey), filled(every_kind(survey))).status_code == 302
