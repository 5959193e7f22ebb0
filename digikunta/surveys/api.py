"""API: surveys and their counts as open data, under the same rules as the pages.

Published surveys are listed for everyone; a survey's results when they are public (or to
those who run it, with a personal token). Free-text answers are never in the API.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from digikunta.api.auth import viewer
from digikunta.api.types import PathId
from digikunta.surveys import selectors
from digikunta.surveys.access import get_survey_for_user_or_404
from digikunta.surveys.models import SCALE_MIN, Survey

router = Router()


class SurveyOut(Schema):
    id: int
    title: str
    title_sv: str
    intro: str
    intro_sv: str
    organiser: str = Field(description="The organiser organisation's slug.")
    process: str | None = Field(description="The participation process's slug, or null.")
    state: str = Field(description="upcoming, open or closed, now.")
    anonymous: bool = Field(description="Answered without signing in, linked to nobody.")
    results_public: bool
    opens_at: datetime | None
    closes_at: datetime | None
    published_at: datetime
    responses: int | None = Field(description="How many have answered; null unless public.")
    results: str | None = Field(description="Address of the results, or null unless public.")

    @staticmethod
    def resolve_organiser(obj: Survey) -> str:
        return obj.organiser.slug

    @staticmethod
    def resolve_process(obj: Survey) -> str | None:
        return obj.process.slug if obj.process else None

    @staticmethod
    def resolve_state(obj: Survey) -> str:
        return obj.state().value

    @staticmethod
    def resolve_anonymous(obj: Survey) -> bool:
        return obj.is_anonymous

    @staticmethod
    def resolve_results_public(obj: Survey) -> bool:
        return obj.has_public_results

    @staticmethod
    def resolve_responses(obj: Survey) -> int | None:
        return getattr(obj, "response_count", None) if obj.has_public_results else None

    @staticmethod
    def resolve_results(obj: Survey, context: dict[str, HttpRequest]) -> str | None:
        if not obj.has_public_results:
            return None
        return context["request"].build_absolute_uri(f"/api/v1/surveys/{obj.pk}/results")


@router.get("", response=list[SurveyOut], url_name="survey_list")
@paginate
def survey_list(request: HttpRequest) -> object:
    """Published surveys, newest first: open, upcoming and closed."""
    return selectors.surveys_for_api()


class CountOut(Schema):
    answer: str = Field(description="The option's label (Finnish), or the scale's value.")
    answer_sv: str
    count: int
    percent: float = Field(description="Of those who answered the question.")


class QuestionResultOut(Schema):
    id: int
    number: int
    kind: str = Field(description="single, multiple, scale or text.")
    text: str
    text_sv: str
    answered: int = Field(description="How many responses answered the question.")
    counts: list[CountOut] = Field(description="Empty for free text, which is never public.")
    mean: float | None = Field(description="A scale's mean, or null.")


class ResultsOut(Schema):
    survey: int
    title: str
    title_sv: str
    state: str
    responses: int
    questions: list[QuestionResultOut]


@router.get("/{id:survey_id}/results", response=ResultsOut, url_name="survey_results")
def survey_results(request: HttpRequest, survey_id: PathId) -> dict[str, object]:
    """A survey's counts and percentages per question, and a scale's mean, as open data when
    its results are public. No free text."""
    survey = get_survey_for_user_or_404(viewer(request), survey_id, action="view_results")
    results = selectors.survey_results(survey)
    questions = []
    for row in results.questions:
        question = row.question
        if question.has_choices:
            counts = [
                {
                    "answer": choice.label,
                    "answer_sv": choice.label_sv,
                    "count": bar.count,
                    "percent": bar.percent,
                }
                for choice, bar in zip(question.choices.all(), row.rows, strict=True)
            ]
        else:
            counts = [
                {"answer": str(n), "answer_sv": str(n), "count": bar.count, "percent": bar.percent}
                for n, bar in enumerate(row.rows, start=SCALE_MIN)
            ]
        questions.append(
            {
                "id": question.pk,
                "number": row.number,
                "kind": question.kind,
                "text": question.text,
                "text_sv": question.text_sv,
                "answered": row.answered,
                "counts": counts,
                "mean": row.mean,
            }
        )
    return {
        "survey": survey.pk,
        "title": survey.title,
        "title_sv": survey.title_sv,
        "state": survey.state().value,
        "responses": results.responses,
        "questions": questions,
    }
