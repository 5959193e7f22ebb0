"""The runner's pages: starting a survey, adding, ordering and removing questions, publishing
and closing; and what they refuse."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digikunta.participation.tests.factories import ProcessFactory
from digikunta.surveys.models import Choice, Question, QuestionKind, Response, Survey
from digikunta.surveys.tests.factories import SurveyFactory, choice_question, every_kind

pytestmark = pytest.mark.django_db


def edit_url(survey):
    return reverse("surveys:survey_edit", args=[survey.pk])


def new_question_url(survey):
    return reverse("surveys:question_create", args=[survey.pk])


def question_data(kind=QuestionKind.SINGLE, text="Milloin kävisit?", options=(), **fields):
    data = {
        "kind": kind,
        "text": text,
        "text_sv": "",
        "help": "",
        "help_sv": "",
        "is_required": "on",
        "choices-TOTAL_FORMS": str(max(len(options), 3)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "40",
        **fields,
    }
    for index, option in enumerate(options):
        label, label_sv = option if isinstance(option, tuple) else (option, "")
        data[f"choices-{index}-label"] = label
        data[f"choices-{index}-label_sv"] = label_sv
    return data


def test_an_administrator_starts_a_draft_survey_for_their_organisation(client, runner, kuopio):
    client.force_login(runner)
    assert client.get(reverse("surveys:survey_create")).status_code == 200
    response = client.post(
        reverse("surveys:survey_create"),
        {"organiser": str(kuopio.pk), "title": "Kirjaston aukioloajat", "is_anonymous": "on"},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(survey)
    assert survey.organiser == kuopio
    assert survey.created_by == runner
    assert survey.published_at is None
    assert survey.is_anonymous


def test_a_survey_in_a_process_belongs_to_the_processs_organiser(client, runner, kuopio):
    process = ProcessFactory(organiser=kuopio)
    client.force_login(runner)
    page = client.get(reverse("surveys:survey_create") + f"?process={process.slug}")
    assert f'<option value="{process.pk}" selected>' in page.content.decode()
    response = client.post(
        reverse("surveys:survey_create"), {"process": str(process.pk), "title": "Asukaskysely"}
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.process == process
    assert survey.organiser == kuopio


@pytest.mark.parametrize("organiser", ["", "99999999999999999999", "oulu"])
def test_a_survey_needs_one_of_the_persons_own_organisations(client, runner, organiser):
    from digikunta.organisations.models import Organisation

    if organiser == "oulu":
        organiser = str(Organisation.objects.get(slug="oulu").pk)
    client.force_login(runner)
    response = client.post(
        reverse("surveys:survey_create"), {"organiser": organiser, "title": "Kysely"}
    )
    assert response.status_code == 422
    assert not Survey.objects.exists()


def test_a_closing_time_before_the_opening_time_is_refused(client, runner, kuopio):
    client.force_login(runner)
    opens = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("surveys:survey_create"),
        {
            "organiser": str(kuopio.pk),
            "title": "Kysely",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (opens - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 422
    assert "Anna päättymisaika, joka on avautumisajan jälkeen." in response.content.decode()
    assert not Survey.objects.exists()


def test_someone_who_administers_nothing_may_not_start_a_survey(client, resident, member):
    for person in (resident, member):
        client.force_login(person)
        assert client.get(reverse("surveys:survey_create")).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("surveys:survey_create"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_choice_question_is_saved_with_its_options_in_order(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(runner)
    data = question_data(
        options=[("Illalla", "På kvällen"), ("Aamulla", "På morgonen"), ("", "")],
        **{"choices-0-ORDER": "2", "choices-1-ORDER": "1"},
    )
    response = client.post(new_question_url(survey), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert [(c.label, c.label_sv) for c in question.choices.all()] == [
        ("Aamulla", "På morgonen"),
        ("Illalla", "På kvällen"),
    ]


TWO_NEEDED = "Valintakysymykseen tarvitaan vähintään kaksi vaihtoehtoa."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], TWO_NEEDED),
        (["Vain yksi"], TWO_NEEDED),
        (["Sama", "sama "], "Kukin vaihtoehto voi olla mukana vain kerran."),
    ],
)
def test_a_choice_question_needs_two_different_options(client, runner, kuopio, options, message):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(runner)
    response = client.post(new_question_url(survey), question_data(options=options))
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count(message) == 2  # in the summary and by the options
    for option in options:
        assert f'value="{option}"' in page  # what was typed stays
    assert 'value="Milloin kävisit?"' in page
    assert not Question.objects.exists()


def test_an_option_only_in_swedish_is_refused(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(runner)
    response = client.post(
        new_question_url(survey), question_data(options=["Aamulla", ("", "På kvällen")])
    )
    assert response.status_code == 422
    assert "Anna jokainen vaihtoehto myös suomeksi." in response.content.decode()
    assert not Question.objects.exists()


def test_a_scale_or_text_question_keeps_no_options(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(runner)
    data = question_data(kind=QuestionKind.SCALE, text="Kuinka tyytyväinen?", options=["x", "y"])
    assert client.post(new_question_url(survey), data).status_code == 302
    assert Question.objects.get().kind == QuestionKind.SCALE
    assert not Choice.objects.exists()


def test_a_question_needs_its_finnish_text(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(runner)
    response = client.post(new_question_url(survey), question_data(text="", options=["a", "b"]))
    assert response.status_code == 422
    assert not Question.objects.exists()


def test_markup_in_questions_and_options_is_shown_as_text(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, title='<img src=x onerror="alert(1)">')
    hostile = '<script>alert("q")</script>'
    choice_question(survey, labels=(hostile, "<b>lihava</b>"), text=hostile, help=hostile)
    for person in (None, runner):
        if person:
            client.force_login(person)
        for name in ("survey_detail", "survey_results", "survey_edit"):
            if name == "survey_edit" and person is None:
                continue
            page = client.get(reverse(f"surveys:{name}", args=[survey.pk])).content.decode()
            assert "<script>alert" not in page, name
            assert "<b>lihava</b>" not in page, name
            assert '<img src=x onerror="alert(1)">' not in page, name
            assert "&lt;script&gt;alert(" in page, name


def test_questions_move_up_and_down(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    single, multiple, scale, text = every_kind(survey)
    client.force_login(runner)
    url = reverse("surveys:question_move", args=[survey.pk, scale.pk])
    assert client.post(url, {"direction": "up"}).status_code == 302
    assert list(survey.questions.all()) == [single, scale, multiple, text]
    client.post(reverse("surveys:question_move", args=[survey.pk, single.pk]), {"direction": "up"})
    assert list(survey.questions.all()) == [single, scale, multiple, text]  # already first
    client.post(
        reverse("surveys:question_move", args=[survey.pk, single.pk]), {"direction": "down"}
    )
    assert list(survey.questions.all()) == [scale, single, multiple, text]


def test_a_question_is_removed(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    single, *_rest = every_kind(survey)
    client.force_login(runner)
    response = client.post(reverse("surveys:question_delete", args=[survey.pk, single.pk]))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=single.pk).exists()
    assert survey.questions.count() == 3


def test_questions_are_locked_once_someone_has_answered(client, runner, survey, questions):
    single, multiple, scale, text = questions
    Response.objects.create(survey=survey)
    client.force_login(runner)
    page = client.get(edit_url(survey)).content.decode()
    assert "Kyselyyn on vastattu, joten sen kysymyksiä ei voi enää muuttaa." in page
    assert "Lisää kysymys" not in page
    edit = reverse("surveys:question_edit", args=[survey.pk, single.pk])
    response = client.post(edit, question_data(text="Toinen sanamuoto", options=["a", "b"]))
    assert response.status_code == 422
    single.refresh_from_db()
    assert single.text == "Milloin kävisit?"
    client.post(reverse("surveys:question_delete", args=[survey.pk, single.pk]))
    client.post(reverse("surveys:question_move", args=[survey.pk, text.pk]), {"direction": "up"})
    assert list(survey.questions.all()) == [single, multiple, scale, text]
    assert (
        client.post(new_question_url(survey), question_data(options=["a", "b"])).status_code == 422
    )
    assert survey.questions.count() == 4


def test_whether_a_survey_is_anonymous_stays_once_answered(client, runner, survey, questions):
    Response.objects.create(survey=survey)
    client.force_login(runner)
    response = client.post(edit_url(survey), {"title": survey.title, "has_public_results": "on"})
    assert response.status_code == 422
    assert "nimettömyyttä ei voi enää muuttaa" in response.content.decode()
    survey.refresh_from_db()
    assert survey.is_anonymous


def test_a_survey_is_published_only_with_questions_that_can_be_answered(client, runner, kuopio):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(runner)
    publish = reverse("surveys:survey_publish", args=[survey.pk])
    response = client.post(publish)
    assert response.status_code == 422
    assert "Lisää vähintään yksi kysymys ennen julkaisemista." in response.content.decode()
    question = choice_question(survey, labels=("Ainoa",))
    response = client.post(publish)
    assert response.status_code == 422
    assert "Kysymykseen 1 tarvitaan vähintään kaksi vaihtoehtoa." in response.content.decode()
    survey.refresh_from_db()
    assert survey.published_at is None
    Choice.objects.create(question=question, position=2, label="Toinen")
    assert client.post(publish).status_code == 302
    survey.refresh_from_db()
    assert survey.published_at is not None


def test_closing_a_survey_stops_the_answers_now(client, runner, survey, questions):
    client.force_login(runner)
    response = client.post(reverse("surveys:survey_close", args=[survey.pk]))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.state() == "closed"


def test_another_organisations_administrator_may_not_build_the_survey(
    client, survey, questions, org_admin
):
    client.force_login(org_admin)
    assert client.get(edit_url(survey)).status_code == 403
    single = questions[0]
    edit = reverse("surveys:question_edit", args=[survey.pk, single.pk])
    assert client.post(edit, question_data(options=["a", "b"])).status_code == 403
    assert client.post(reverse("surveys:survey_publish", args=[survey.pk])).status_code == 403


def test_a_draft_is_not_found_by_an_outsider(client, kuopio, org_admin):
    survey = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(org_admin)
    assert client.get(edit_url(survey)).status_code == 404


def test_a_question_of_another_survey_is_not_found(client, runner, survey, questions, kuopio):
    other = SurveyFactory(organiser=kuopio, draft=True)
    client.force_login(runner)
    url = reverse("surveys:question_edit", args=[other.pk, questions[0].pk])
    assert client.get(url).status_code == 404
    assert client.get(f"/fi/surveys/{survey.pk}/questions/99999999999999999999/").status_code == 404
