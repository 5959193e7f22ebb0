"""A signed-in person's answers are theirs: in their export, and their own words erased with
them, while their choices stay counted without them (docs/privacy.md)."""

import pytest

from digikunta.accounts.services import user_erase, user_export
from digikunta.surveys import selectors, services
from digikunta.surveys.models import AnswerValue, Response, TextAnswer
from digikunta.surveys.tests.factories import SurveyFactory, every_kind

pytestmark = pytest.mark.django_db

WORDS = "Asun Kirkkokatu 3:ssa ja toivon penkkejä"


@pytest.fixture
def signed_in(kuopio, resident):
    survey = SurveyFactory(organiser=kuopio, is_anonymous=False)
    single, multiple, scale, text = every_kind(survey)
    services.response_submit(
        survey=survey,
        user=resident,
        answers={
            single.pk: single.choices.first().pk,
            multiple.pk: [multiple.choices.last().pk],
            scale.pk: 2,
            text.pk: WORDS,
        },
    )
    return survey


def test_the_export_holds_the_persons_own_answers(signed_in, resident):
    data = user_export(user=resident)
    assert data["surveys.response"][0]["survey"] == signed_in.pk
    values = data["surveys.answervalue"]
    assert {v["question__text"] for v in values} == {
        "Milloin kävisit?",
        "Mitä käytät?",
        "Kuinka tyytyväinen olet?",
    }
    assert {v["choice__label"] for v in values} == {"Aamulla", "Tapahtumat", None}
    assert data["surveys.textanswer"][0]["text"] == WORDS


def test_an_anonymous_answer_is_in_nobodys_export(survey, questions, resident):
    single = questions[0]
    for question in questions[1:3]:
        question.is_required = False
        question.save()
    services.response_submit(
        survey=survey, user=resident, answers={single.pk: single.choices.first().pk}
    )
    data = user_export(user=resident)
    assert "surveys.response" not in data and "surveys.answervalue" not in data


def test_erasure_deletes_the_persons_words_and_keeps_their_choices_counted(signed_in, resident):
    before = selectors.survey_results(signed_in)
    user_erase(user=resident)
    assert not TextAnswer.objects.exists()
    response = Response.objects.get()
    assert response.user is None
    assert AnswerValue.objects.filter(response=response).count() == 3
    after = selectors.survey_results(signed_in)
    assert after.responses == before.responses == 1
    for old, new in zip(before.questions[:3], after.questions[:3], strict=True):
        assert [b.count for b in old.rows] == [b.count for b in new.rows]
    assert after.questions[3].answered == 0  # the free text went with them
