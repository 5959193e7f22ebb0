"""Reads of surveys that span models or depend on the viewer.

The results are counted by the database in one query per survey (``counted``): the number of
each option and scale value, how many responses answered each question, and how many
responses there are, in one ``UNION ALL``. Percentages are of those who answered the question,
so that an optional question's options still add up to 100 % (a multiple choice's, to more).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.core.permissions import can
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.rules import organisation_roles
from digikunta.participation.models import Process
from digikunta.participation.selectors import processes_for
from digikunta.surveys.models import (
    CHOICE_KINDS,
    SCALE_MAX,
    SCALE_MIN,
    SHOWN_WITH,
    AnswerValue,
    Question,
    QuestionKind,
    Response,
    Survey,
    TextAnswer,
    shown_language,
)
from digikunta.surveys.rules import runs_survey, staff

TEXTS_SHOWN_PER_QUESTION = 200


def _admin_of(user: Any) -> list[int]:
    return [pk for pk, role in organisation_roles(user).items() if role == MembershipRole.ADMIN]


def surveys_visible_to(user: Any) -> QuerySet[Survey]:
    """The surveys a person may see: the published ones (in a published process, when in one),
    and every survey of those they run (the rule ``surveys.view_survey``). A process survey's
    organiser is the process's, so the organisations a person administers cover both."""
    surveys = Survey.objects.select_related(*SHOWN_WITH)
    if not user.is_authenticated:
        return surveys.published()
    if staff(user):
        return surveys
    published = Q(published_at__isnull=False) & (
        Q(process__isnull=True) | Q(process__published_at__isnull=False)
    )
    return surveys.filter(published | Q(organiser__in=_admin_of(user)))


@dataclass
class Listing:
    open: list[Survey]
    upcoming: list[Survey]
    closed: list[Survey]
    own: list[Survey] = field(default_factory=list)


def survey_listing(user: Any) -> Listing:
    """The surveys page: what is open, upcoming and closed for everyone, and, for those who
    run surveys, all of theirs with the drafts. One query, with the response counts."""
    rows = list(
        surveys_visible_to(user)
        .annotate(response_count=Count("responses"))
        .order_by("-published_at", "-created_at", "-pk")
    )
    listing = Listing(open=[], upcoming=[], closed=[])
    for survey in rows:
        published = survey.published_at is not None and (
            survey.process is None or survey.process.published_at is not None
        )
        if published:
            state = survey.state()
            getattr(listing, state.value).append(survey)
        if user.is_authenticated and runs_survey(user, survey):
            listing.own.append(survey)
    return listing


def survey_homes(user: Any) -> tuple[list[Organisation], list[Process]]:
    """Where the person may start a survey: the organisations they administer (every one, for
    coordinators) and the processes they run."""
    organisations = Organisation.objects.order_by("name")
    if not staff(user):
        organisations = organisations.filter(pk__in=_admin_of(user))
    processes = [p for p in processes_for(user) if can(user, "change", p)]
    return list(organisations), processes


def surveys_for_api() -> QuerySet[Survey]:
    """Published surveys for the API's list, newest first, with their response counts."""
    published = Survey.objects.published().select_related(*SHOWN_WITH)
    return published.annotate(response_count=Count("responses")).order_by("-published_at", "-pk")


def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions in order, with their options: two queries."""
    return list(Question.objects.filter(survey=survey).prefetch_related("choices"))


def has_responses(survey: Survey) -> bool:
    return Response.objects.filter(survey=survey).exists()


def process_surveys(process: Process, user: Any) -> list[Survey]:
    """The surveys of a process the person may see, with their response counts: one query."""
    return list(
        surveys_visible_to(user)
        .filter(process=process)
        .annotate(response_count=Count("responses"))
        .order_by("created_at", "pk")
    )


# --- Results ------------------------------------------------------------------------------


@dataclass
class Bar:
    """One bar: an option, or a value of the scale, with how many chose it."""

    label: str
    language: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered: int
    rows: list[Bar]
    mean: float | None = None

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass
class Results:
    survey: Survey
    responses: int
    questions: list[QuestionResult]


def counted(
    survey: Survey,
) -> tuple[int, dict[int, int], dict[tuple[int, int | None, int | None], int]]:
    """(responses, answered by question, count by (question, choice, scale)) in one query."""
    no_id = Value(None, output_field=BigIntegerField())
    no_scale = Value(None, output_field=IntegerField())
    values = AnswerValue.objects.filter(question__survey=survey).order_by()
    by_value = values.values_list("question_id", "choice_id", "scale").annotate(n=Count("pk"))
    answered = (
        values.values("question_id")
        .annotate(c=no_id, s=no_scale, n=Count("response_id", distinct=True))
        .values_list("question_id", "c", "s", "n")
    )
    texts = (
        TextAnswer.objects.filter(question__survey=survey)
        .order_by()
        .values("question_id")
        .annotate(c=no_id, s=no_scale, n=Count("pk"))
        .values_list("question_id", "c", "s", "n")
    )
    total = (
        Response.objects.filter(survey=survey)
        .order_by()
        .values("survey_id")
        .annotate(q=no_id, c=no_id, s=no_scale, n=Count("pk"))
        .values_list("q", "c", "s", "n")
    )
    responses = 0
    by_question: dict[int, int] = {}
    counts: dict[tuple[int, int | None, int | None], int] = {}
    for question_id, choice_id, scale, n in by_value.union(answered, texts, total, all=True):
        if question_id is None:
            responses = n
        elif choice_id is None and scale is None:
            by_question[question_id] = n
        else:
            counts[(question_id, choice_id, scale)] = n
    return responses, by_question, counts


def _percent(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


def scale_label(question: Question, value: int) -> str:
    """ "1 – not at all", "2", … "5 – very much": the ends carry their meaning."""
    if value == SCALE_MIN:
        meaning = question.localized_low_label or _("lowest")
    elif value == SCALE_MAX:
        meaning = question.localized_high_label or _("highest")
    else:
        return str(value)
    return _("%(value)s – %(meaning)s") % {"value": value, "meaning": meaning}


def survey_results(survey: Survey) -> Results:
    """Every question's counts and percentages, and a scale's mean; no free text. Three
    queries: the questions, their options and the counts."""
    questions = questions_of(survey)
    responses, answered, counts = counted(survey)
    found = []
    for number, question in enumerate(questions, start=1):
        total = answered.get(question.pk, 0)
        rows: list[Bar] = []
        mean = None
        if question.kind in CHOICE_KINDS:
            for choice in question.choices.all():
                n = counts.get((question.pk, choice.pk, None), 0)
                language = shown_language(choice.label_sv)
                rows.append(Bar(choice.localized_label, language, n, _percent(n, total)))
        elif question.kind == QuestionKind.SCALE:
            weighted = 0
            for value in range(SCALE_MIN, SCALE_MAX + 1):
                n = counts.get((question.pk, None, value), 0)
                weighted += n * value
                label = scale_label(question, value)
                rows.append(Bar(label, question.text_language, n, _percent(n, total)))
            mean = round(weighted / total, 2) if total else None
        found.append(QuestionResult(question, number, total, rows, mean))
    return Results(survey, responses, found)


def text_answers(survey: Survey) -> dict[int, list[str]]:
    """The free-text answers by question, newest first, at most TEXTS_SHOWN_PER_QUESTION of
    each (the runners' CSV has them all). Only for those who run the survey."""
    newest = Window(RowNumber(), partition_by=F("question_id"), order_by=F("pk").desc())
    rows = (
        TextAnswer.objects.filter(question__survey=survey)
        .annotate(row=newest)
        .filter(row__lte=TEXTS_SHOWN_PER_QUESTION)
        .order_by("question_id", "-pk")
        .values_list("question_id", "text")
    )
    found: dict[int, list[str]] = {}
    for question_id, text in rows:
        found.setdefault(question_id, []).append(text)
    return found


def response_rows(survey: Survey, questions: list[Question]) -> Iterator[list[object]]:
    """Every response as a row: its number, its day, then one cell per question (an option's
    label, the options joined with ";", a scale value or the text). No person: not even for a
    signed-in survey (docs/surveys.md). Read in chunks, each with its answers."""
    labels = {
        choice.pk: choice.label for question in questions for choice in question.choices.all()
    }
    responses = (
        Response.objects.filter(survey=survey)
        .order_by("submitted_at", "pk")
        .only("pk", "submitted_at")
        .prefetch_related(
            Prefetch("values", queryset=AnswerValue.objects.order_by("pk")),
            Prefetch("texts", queryset=TextAnswer.objects.order_by("pk")),
        )
    )
    for number, response in enumerate(responses.iterator(chunk_size=500), start=1):
        cells: dict[int, list[object]] = {}
        for value in response.values.all():
            shown = labels.get(value.choice_id, "") if value.choice_id else value.scale
            cells.setdefault(value.question_id, []).append(shown)
        for text in response.texts.all():
            cells.setdefault(text.question_id, []).append(text.text)
        row: list[object] = [number, timezone.localtime(response.submitted_at).date()]
        for question in questions:
            given = cells.get(question.pk, [])
            if question.kind == QuestionKind.MULTIPLE:
                row.append(given)
            else:
                row.append(given[0] if given else "")
        yield row
