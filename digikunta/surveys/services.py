"""Every write of surveys, in a transaction, with a translated ValidationError when a rule is
broken. The answering rules are in ``answer_problem`` and ``lifecycle``; who may build is in
rules.py, asked by the views and the API before they call these."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.core.converters import MAX_ID
from digikunta.organisations.models import Organisation
from digikunta.participation import eligibility
from digikunta.participation.models import Process
from digikunta.surveys import lifecycle
from digikunta.surveys.models import (
    CHOICE_KINDS,
    MAX_CHOICES,
    MAX_QUESTIONS,
    MAX_TEXT_ANSWER_CHARS,
    SCALE_MAX,
    SCALE_MIN,
    AnswerValue,
    Choice,
    Question,
    QuestionKind,
    Response,
    Survey,
    TextAnswer,
)

SURVEY_FIELDS = {
    "title",
    "title_sv",
    "intro",
    "intro_sv",
    "is_anonymous",
    "has_public_results",
    "opens_at",
    "closes_at",
}


def _strip(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }


def survey_create(
    *,
    by: User,
    organiser: Organisation | None = None,
    process: Process | None = None,
    title: str,
    **fields: Any,
) -> Survey:
    """Start a survey as a draft, seen only by those who run it. In a process, the survey's
    organiser is the process's organiser, whatever was asked."""
    unknown = set(fields) - SURVEY_FIELDS
    if unknown:
        raise TypeError(f"survey_create() got unexpected fields {sorted(unknown)}")
    if process is not None:
        organiser = process.organiser
    if organiser is None:
        raise ValidationError({"organiser": _("Choose the organisation that runs the survey.")})
    survey = Survey(
        organiser=organiser, process=process, created_by=by, **_strip({"title": title, **fields})
    )
    survey.full_clean()
    with transaction.atomic():
        survey.save()
    return survey


def _has_responses(survey: Survey) -> bool:
    return Response.objects.filter(survey=survey).exists()


def _locked_for_change(survey: Survey) -> Survey:
    """The survey's row, locked for a change to it or its questions. A response being written
    holds a share lock on the row (``_hold_questions``), so a change waits for it and then
    sees it, and a response waits for a change and then reads the new questions."""
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _hold_questions(survey: Survey) -> None:
    """Keep the survey's questions as they are until this transaction ends, without holding
    off other responses: PostgreSQL's ``FOR KEY SHARE`` does not conflict with itself, only
    with ``_locked_for_change``'s ``FOR UPDATE``. (Django's foreign-key checks are deferred to
    the commit, so the response's own reference to the survey locks it too late.) SQLite runs
    one writing transaction at a time (``IMMEDIATE``), which holds off a change already."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Survey._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE", [survey.pk])  # noqa: S608 - the table's name is ours


def survey_update(*, survey: Survey, **fields: Any) -> Survey:
    """Change the survey's texts, dates and settings. Whether it is anonymous is part of what
    people were told when they answered: it no longer changes once someone has."""
    unknown = set(fields) - SURVEY_FIELDS
    if unknown:
        raise TypeError(f"survey_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        stored = _locked_for_change(survey)
        fields = _strip(fields)
        if (
            "is_anonymous" in fields
            and fields["is_anonymous"] != stored.is_anonymous
            and _has_responses(stored)
        ):
            raise ValidationError(
                {
                    "is_anonymous": _(
                        "People have already answered, so whether the survey is anonymous can "
                        "no longer change."
                    )
                }
            )
        for name, value in fields.items():
            setattr(stored, name, value)
        stored.full_clean()
        stored.save()
    return stored


def publish_problems(survey: Survey) -> list[str]:
    """What keeps the survey from being published, in the reader's language."""
    questions = list(survey.questions.prefetch_related("choices"))
    problems = []
    if not questions:
        problems.append(_("Add at least one question before publishing."))
    for number, question in enumerate(questions, start=1):
        if question.kind in CHOICE_KINDS and len(question.choices.all()) < 2:
            problems.append(
                _("Question %(number)s needs at least two options.") % {"number": number}
            )
    if survey.closes_at is not None and survey.closes_at <= timezone.now():
        problems.append(_("The closing time has passed; set a later one or leave it empty."))
    return problems


def survey_publish(*, survey: Survey, at: datetime | None = None) -> Survey:
    """Publish the survey: it is seen by everyone and takes answers from its opening time."""
    with transaction.atomic():
        stored = _locked_for_change(survey)
        problems = publish_problems(stored)
        if problems:
            raise ValidationError(problems)
        if stored.published_at is None:
            stored.published_at = at or timezone.now()
            stored.save(update_fields=["published_at", "updated_at"])
    return stored


def survey_close(*, survey: Survey, at: datetime | None = None) -> Survey:
    """Close the survey now: it takes no more answers; its results stay."""
    moment = at or timezone.now()
    with transaction.atomic():
        stored = _locked_for_change(survey)
        if stored.closes_at is None or stored.closes_at > moment:
            stored.closes_at = moment
            if stored.opens_at is not None and stored.opens_at >= moment:
                stored.opens_at = None  # closed before it opened: it never takes answers
            stored.save(update_fields=["closes_at", "opens_at", "updated_at"])
    return stored


def _check_unlocked(survey: Survey) -> None:
    if _has_responses(survey):
        raise ValidationError(
            _("People have answered this survey, so its questions can no longer change."),
            code="locked",
        )


def _clean_choices(kind: str, choices: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    if kind not in CHOICE_KINDS:
        return []
    rows = [(label.strip(), label_sv.strip()) for label, label_sv in choices]
    if any(not label and label_sv for label, label_sv in rows):
        raise ValidationError({"choices": _("Give each option in Finnish too.")})
    rows = [(label, label_sv) for label, label_sv in rows if label]
    if len(rows) < 2:
        raise ValidationError({"choices": _("A choice question needs at least two options.")})
    if len(rows) > MAX_CHOICES:
        raise ValidationError(
            {"choices": _("A question can have at most %(max)s options.") % {"max": MAX_CHOICES}}
        )
    labels = [label.casefold() for label, _sv in rows]
    if len(set(labels)) != len(labels):
        raise ValidationError({"choices": _("Each option can appear only once.")})
    return rows


QUESTION_FIELDS = {
    "text",
    "text_sv",
    "help",
    "help_sv",
    "is_required",
    "low_label",
    "low_label_sv",
    "high_label",
    "high_label_sv",
}


def question_save(
    *,
    survey: Survey,
    question: Question | None = None,
    kind: str,
    text: str,
    choices: Sequence[tuple[str, str]] = (),
    **fields: Any,
) -> Question:
    """Add a question at the end, or change one; a choice question's options replace the old
    ones (``choices``: Finnish and Swedish label, in order). Refused once anyone has answered:
    an answer counted under one wording must not be shown under another."""
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"question_save() got unexpected fields {sorted(unknown)}")
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose one of the question types.")})
    rows = _clean_choices(kind, choices)
    with transaction.atomic():
        stored_survey = _locked_for_change(survey)
        _check_unlocked(stored_survey)
        if question is None:
            count = Question.objects.filter(survey=stored_survey).count()
            if count >= MAX_QUESTIONS:
                raise ValidationError(
                    _("A survey can have at most %(max)s questions.") % {"max": MAX_QUESTIONS}
                )
            last = Question.objects.filter(survey=stored_survey).aggregate(last=Max("position"))
            question = Question(survey=stored_survey, position=(last["last"] or 0) + 1)
        question.kind = kind
        for name, value in _strip(fields).items():
            setattr(question, name, value)
        question.text = text.strip()
        question.full_clean(exclude=["survey"])
        question.save()
        question.choices.all().delete()
        made = [
            Choice(question=question, position=position, label=label, label_sv=label_sv)
            for position, (label, label_sv) in enumerate(rows, start=1)
        ]
        for choice in made:
            choice.full_clean(exclude=["question"])
        Choice.objects.bulk_create(made)
    return question


def question_delete(*, question: Question) -> None:
    with transaction.atomic():
        _check_unlocked(_locked_for_change(question.survey))
        question.delete()


def question_move(*, question: Question, up: bool) -> None:
    """Swap the question with the one before (``up``) or after it; at an end, nothing moves."""
    with transaction.atomic():
        survey = _locked_for_change(question.survey)
        _check_unlocked(survey)
        order = list(Question.objects.filter(survey=survey).order_by("position", "pk"))
        index = next(i for i, row in enumerate(order) if row.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(order):
            return
        order[index], order[other] = order[other], order[index]
        for position, row in enumerate(order, start=1):
            row.position = position
        Question.objects.bulk_update(order, ["position"])


# --- Answering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a person may not answer now: ``code`` says which (``closed``, ``sign_in``,
    ``not_eligible``, ``answered``), ``message`` says it in their language."""

    code: str
    message: str


def answer_problem(survey: Survey, user: Any, *, now: datetime | None = None) -> Refusal | None:
    """Why ``user`` may not answer the survey now, or None. An anonymous survey takes anyone
    (once per device: the view's cookie); a signed-in one takes each person once, and in a
    process only those with a standing in it."""
    current = survey.state(now)
    problem = lifecycle.answer_problem(
        current, opens_at=survey.opens_at, closes_at=survey.closes_at
    )
    if problem:
        return Refusal("closed", problem)
    if survey.is_anonymous:
        return None
    if not user.is_authenticated:
        return Refusal("sign_in", _("Sign in to answer this survey: each person answers once."))
    if survey.process is not None:
        not_eligible = eligibility.eligibility_problem(user, survey.process)
        if not_eligible:
            return Refusal("not_eligible", not_eligible)
    if Response.objects.filter(survey=survey, user=user).exists():
        return Refusal("answered", already_answered())
    return None


def already_answered() -> str:
    return _("You have already answered this survey. Thank you!")


class AnswerRefused(ValidationError):
    """A ValidationError with the Refusal's code, for the view's status."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message, code=refusal.code)
        self.refusal = refusal


def _as_id(value: object) -> int | None:
    """A posted id as a number, or None for anything that cannot be one of ours."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if isinstance(value, str) and value.isdigit() and len(value) <= 19:
        number = int(value)
        return number if number <= MAX_ID else None
    return None


def _listed(value: object) -> list[object]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def check_answers(
    questions: Sequence[Question], answers: Mapping[int, object]
) -> tuple[list[AnswerValue], list[TextAnswer], dict[str, list[str]]]:
    """The answers as rows to store, and the messages by question (``q<id>``) for what is
    missing or out of range. ``questions`` come with their choices."""
    values: list[AnswerValue] = []
    texts: list[TextAnswer] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        raw = answers.get(question.pk)
        key = f"q{question.pk}"
        if question.kind in CHOICE_KINDS:
            given = _listed(raw)
            if question.kind == QuestionKind.SINGLE and len(given) > 1:
                errors[key] = [_("Choose only one option.")]
                continue
            ids = [_as_id(item) for item in given]
            known = {choice.pk for choice in question.choices.all()}
            if any(pk not in known for pk in ids):
                errors[key] = [_("Choose one of the options given.")]
                continue
            if not ids and question.is_required:
                errors[key] = [
                    _("Choose one option.")
                    if question.kind == QuestionKind.SINGLE
                    else _("Choose at least one option.")
                ]
                continue
            for pk in dict.fromkeys(ids):  # in order, each once
                values.append(AnswerValue(question=question, choice_id=pk))
        elif question.kind == QuestionKind.SCALE:
            if raw is None or raw == "":
                if question.is_required:
                    errors[key] = [_("Choose a number from 1 to 5.")]
                continue
            number = _as_id(raw)
            if number is None or not SCALE_MIN <= number <= SCALE_MAX:
                errors[key] = [_("Choose a number from 1 to 5.")]
                continue
            values.append(AnswerValue(question=question, scale=number))
        else:
            text = raw.strip() if isinstance(raw, str) else ""
            if not text:
                if question.is_required:
                    errors[key] = [_("Write an answer.")]
                continue
            if len(text) > MAX_TEXT_ANSWER_CHARS:
                errors[key] = [
                    _(
                        "The answer can be at most %(limit_value)s characters; it now has "
                        "%(show_value)s."
                    )
                    % {"limit_value": MAX_TEXT_ANSWER_CHARS, "show_value": len(text)}
                ]
                continue
            if "\x00" in text:
                errors[key] = [_("Remove the null characters from the answer.")]
                continue
            texts.append(TextAnswer(question=question, text=text))
    return values, texts, errors


def submission_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def response_submit(
    *,
    survey: Survey,
    user: Any,
    answers: Mapping[int, object],
    submission: str = "",
    now: datetime | None = None,
) -> Response:
    """Store one person's answers: all of them or, on any problem, none.

    ``answers`` maps a question's id to a choice id, a list of them, a scale value or a text.
    The same ``submission`` token sent again (a double click) gives back the first response
    instead of a second. A signed-in person answers once: the database's unique row decides,
    so two answers sent at the same moment count once (AnswerRefused, code ``answered``).
    The questions are read again under a share lock of the survey (``_hold_questions``), so a
    change to them waits for this answer, and this answer is checked against any change that
    came first.
    """
    refusal = answer_problem(survey, user, now=now)
    if refusal is not None and refusal.code != "answered":
        raise AnswerRefused(refusal)
    person = None if survey.is_anonymous else user
    digest = submission_digest(submission)
    with transaction.atomic():
        _hold_questions(survey)
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=survey, user=person, submission=digest, submitted_at=timezone.now()
                )
        except IntegrityError:
            earlier = (
                Response.objects.filter(survey=survey, submission=digest).first()
                if digest
                else None
            )
            if earlier is not None:
                return earlier
            raise AnswerRefused(Refusal("answered", already_answered())) from None
        questions = list(Question.objects.filter(survey=survey).prefetch_related("choices"))
        values, texts, errors = check_answers(questions, answers)
        if errors:
            raise ValidationError(errors)
        for row in values:
            row.response = response
        for text in texts:
            text.response = response
            text.user = person
        AnswerValue.objects.bulk_create(values)
        TextAnswer.objects.bulk_create(texts)
    return response
