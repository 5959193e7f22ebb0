"""Surveys of Kuopio: published and open by default, with a helper that adds each kind of
question."""

import factory
from django.utils import timezone

from digikunta.organisations.models import Organisation
from digikunta.surveys.models import Choice, Question, QuestionKind, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    organiser = factory.LazyFunction(lambda: Organisation.objects.get(slug="kuopio"))
    title = factory.Sequence(lambda n: f"Kirjaston aukioloajat {n}")
    title_sv = factory.Sequence(lambda n: f"Bibliotekets öppettider {n}")
    intro = "Kerro, milloin käyttäisit kirjastoa."
    is_anonymous = True
    has_public_results = True
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(published_at=None)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Kysymys {n}")
    text_sv = factory.Sequence(lambda n: f"Fråga {n}")
    is_required = True


def choice_question(survey, labels=("Aamulla", "Illalla", "Viikonloppuna"), **fields):
    """A single-choice question (or ``kind=QuestionKind.MULTIPLE``) with its options."""
    question = QuestionFactory(survey=survey, **fields)
    for position, label in enumerate(labels, start=1):
        Choice.objects.create(
            question=question, position=position, label=label, label_sv=f"{label} (sv)"
        )
    return question


def every_kind(survey):
    """One question of each kind: single, multiple, scale and text, in that order."""
    single = choice_question(survey, text="Milloin kävisit?", text_sv="När skulle du gå?")
    multiple = choice_question(
        survey,
        ("Lainaus", "Lukusali", "Tapahtumat"),
        kind=QuestionKind.MULTIPLE,
        text="Mitä käytät?",
        text_sv="Vad använder du?",
    )
    scale = QuestionFactory(
        survey=survey,
        kind=QuestionKind.SCALE,
        text="Kuinka tyytyväinen olet?",
        text_sv="Hur nöjd är du?",
        low_label="en lainkaan",
        low_label_sv="inte alls",
        high_label="erittäin",
        high_label_sv="mycket",
    )
    text = QuestionFactory(
        survey=survey,
        kind=QuestionKind.TEXT,
        text="Mitä muuta haluat sanoa?",
        text_sv="Vad mer vill du säga?",
        is_required=False,
    )
    return single, multiple, scale, text
