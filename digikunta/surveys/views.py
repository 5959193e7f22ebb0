"""Pages of surveys: the list, the runner's builder, answering, and the results with their CSV.

Answering an anonymous survey needs no account: the browser keeps a signed cookie of the
surveys it has answered (once per device) and each network address may send a limited number
of answers to one survey an hour (``SURVEYS_ANSWER_RATE``). Neither is stored with the answers
(docs/surveys.md).
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from digikunta.accounts.requests import AuthenticatedRequest
from digikunta.core.exports import csv_response
from digikunta.core.forms import add_errors
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.surveys import selectors, services
from digikunta.surveys.access import get_question_for_user_or_404, get_survey_for_user_or_404
from digikunta.surveys.charts import build_bar_chart
from digikunta.surveys.forms import (
    AnswerForm,
    ChoiceFormSet,
    QuestionForm,
    SurveyCreateForm,
    SurveyForm,
    choice_rows,
)
from digikunta.surveys.models import Question, Survey
from digikunta.surveys.services import Refusal

ANSWERED_COOKIE = "digikunta_surveys"
ANSWERED_SALT = "digikunta.surveys.answered"
ANSWERED_MAX_AGE = int(timedelta(days=365).total_seconds())
ANSWERED_KEPT = 200  # the newest surveys answered on the device
# What a refusal answers: a state that may change (closed, answered) is a conflict; who the
# person is (not signed in, no standing) is forbidden.
REFUSAL_STATUS = {
    "closed": 409,
    "answered": 409,
    "sign_in": 403,
    "not_eligible": 403,
    "flood": 429,
}


def answer_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "SURVEYS_ANSWER_RATE", "30/h"))


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    context = {
        "listing": selectors.survey_listing(request.user),
        "can_add": can(request.user, "add", Survey),
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def survey_create(request: AuthenticatedRequest) -> HttpResponse:
    if not can(request.user, "add", Survey):
        raise PermissionDenied
    organisations, processes = selectors.survey_homes(request.user)
    wanted = [p for p in processes if p.slug == request.GET.get("process")]
    form = SurveyCreateForm(
        request.POST or None,
        organisations=organisations,
        processes=processes,
        initial={"process": str(wanted[0].pk)} if wanted else None,
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            survey = services.survey_create(by=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The survey was created. Add its questions next."))
            return redirect("surveys:survey_edit", survey.pk)
    status = 422 if form.is_bound else 200
    return render(request, "surveys/survey_form.html", {"form": form}, status=status)


def _builder_context(survey: Survey, form: SurveyForm) -> dict[str, Any]:
    return {
        "survey": survey,
        "form": form,
        "questions": selectors.questions_of(survey),
        "locked": selectors.has_responses(survey),
        "problems": services.publish_problems(survey) if survey.published_at is None else [],
    }


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def survey_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The builder: the survey's settings, its questions in order, publishing and closing."""
    survey = get_survey_for_user_or_404(request.user, pk, action="change")
    form = SurveyForm(request.POST or None, instance=survey)
    if form.is_valid():
        try:
            services.survey_update(survey=survey, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("surveys:survey_edit", survey.pk)
        survey.refresh_from_db()
    status = 422 if form.is_bound else 200
    context = _builder_context(survey, form)
    return render(request, "surveys/survey_edit.html", context, status=status)


@login_required
@limit_form_posts
@require_POST
def survey_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user_or_404(request.user, pk, action="change")
    try:
        services.survey_publish(survey=survey)
    except ValidationError as error:
        context = _builder_context(survey, SurveyForm(instance=survey))
        context["publish_errors"] = error.messages
        return render(request, "surveys/survey_edit.html", context, status=422)
    messages.success(request, _("The survey was published."))
    return redirect(survey)


@login_required
@limit_form_posts
@require_POST
def survey_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user_or_404(request.user, pk, action="change")
    services.survey_close(survey=survey)
    messages.success(request, _("The survey was closed; it takes no more answers."))
    return redirect("surveys:survey_edit", survey.pk)


def _question_page(
    request: AuthenticatedRequest, survey: Survey, question: Question | None
) -> HttpResponse:
    data = request.POST or None
    form = QuestionForm(data, instance=question)
    initial = (
        [{"label": c.label, "label_sv": c.label_sv} for c in question.choices.all()]
        if question is not None
        else []
    )
    choices = ChoiceFormSet(data, prefix="choices", initial=None if data else initial)
    choice_errors: list[str] = []
    if data is not None and form.is_valid() and choices.is_valid():
        try:
            services.question_save(
                survey=survey, question=question, choices=choice_rows(choices), **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
            if hasattr(error, "error_dict"):
                choice_errors = error.message_dict.get("choices", [])
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:survey_edit", survey.pk)
    context = {
        "survey": survey,
        "question": question,
        "form": form,
        "choices": choices,
        "choice_errors": choice_errors,
        "locked": selectors.has_responses(survey),
    }
    status = 422 if data is not None else 200
    return render(request, "surveys/question_form.html", context, status=status)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def question_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user_or_404(request.user, pk, action="change")
    return _question_page(request, survey, None)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedRequest, pk: int, question_id: int) -> HttpResponse:
    question = get_question_for_user_or_404(request.user, pk, question_id)
    return _question_page(request, question.survey, question)


@login_required
@limit_form_posts
@require_POST
def question_delete(request: AuthenticatedRequest, pk: int, question_id: int) -> HttpResponse:
    question = get_question_for_user_or_404(request.user, pk, question_id)
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question was removed."))
    return redirect("surveys:survey_edit", pk)


@login_required
@limit_form_posts
@require_POST
def question_move(request: AuthenticatedRequest, pk: int, question_id: int) -> HttpResponse:
    question = get_question_for_user_or_404(request.user, pk, question_id)
    try:
        services.question_move(question=question, up=request.POST.get("direction") != "down")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('surveys:survey_edit', args=[pk])}#question-{question.pk}")


# --- Answering ----------------------------------------------------------------------------


def answered_here(request: HttpRequest) -> list[int]:
    """The surveys answered on this device, from its signed cookie (nothing if tampered)."""
    value = (
        request.get_signed_cookie(
            ANSWERED_COOKIE, default="", salt=ANSWERED_SALT, max_age=ANSWERED_MAX_AGE
        )
        or ""
    )
    return [int(part) for part in value.split(",") if part.isdigit() and len(part) <= 19]


def _remember_answer(request: HttpRequest, response: HttpResponse, survey: Survey) -> None:
    kept = [pk for pk in answered_here(request) if pk != survey.pk][-(ANSWERED_KEPT - 1) :]
    response.set_signed_cookie(
        ANSWERED_COOKIE,
        ",".join(str(pk) for pk in [*kept, survey.pk]),
        salt=ANSWERED_SALT,
        max_age=ANSWERED_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _refusal(request: HttpRequest, survey: Survey) -> Refusal | None:
    refusal = services.answer_problem(survey, request.user)
    if refusal is None and survey.is_anonymous and survey.pk in answered_here(request):
        refusal = Refusal(
            "answered", _("You have already answered this survey on this device. Thank you!")
        )
    return refusal


def _flood(request: HttpRequest, survey: Survey) -> Refusal | None:
    """Counts this answer against its network's hourly rate for an anonymous survey."""
    if not survey.is_anonymous or not is_ratelimited(
        request,
        group=f"surveys.answer.{survey.pk}",
        key="ip",
        rate=answer_rate,
        method="POST",
        increment=True,
    ):
        return None
    return Refusal(
        "flood",
        _(
            "Many answers to this survey have come from your network in the last hour. "
            "Try again later; your answers were not saved yet."
        ),
    )


def _answered(request: HttpRequest, survey: Survey) -> HttpResponse:
    response = redirect("surveys:survey_thanks", survey.pk)
    if survey.is_anonymous:
        _remember_answer(request, response, survey)
    return response


@limit_form_posts
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey to answer: its questions, or why it takes no answer from this person now."""
    survey = get_survey_for_user_or_404(request.user, pk)
    form = AnswerForm(request.POST or None, questions=selectors.questions_of(survey))
    refusal = _refusal(request, survey)
    status = 200
    if request.method == "POST":
        refusal = refusal or _flood(request, survey)
        if refusal is None and form.is_valid():
            try:
                services.response_submit(
                    survey=survey,
                    user=request.user,
                    answers=form.answers(),
                    submission=request.POST.get("submission", ""),
                )
            except services.AnswerRefused as error:
                refusal = error.refusal
            except ValidationError as error:
                add_errors(form, error)
            else:
                return _answered(request, survey)
        status = REFUSAL_STATUS[refusal.code] if refusal else 422
    may_change = can(request.user, "change", survey)
    takes_answers = refusal is None or refusal.code == "flood"  # a flood keeps what was typed
    context = {
        "survey": survey,
        "form": form,
        "refusal": refusal,
        "takes_answers": takes_answers,
        "preview": not takes_answers and survey.published_at is None and may_change,
        "may_change": may_change,
        "may_see_results": can(request.user, "view_results", survey),
    }
    return render(request, "surveys/survey_detail.html", context, status=status)


@require_GET
def survey_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user_or_404(request.user, pk)
    context = {"survey": survey, "may_see_results": can(request.user, "view_results", survey)}
    return render(request, "surveys/survey_thanks.html", context)


# --- Results ------------------------------------------------------------------------------


@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts, percentages and charts for everyone when the results are public; the free text
    only for those who run the survey."""
    survey = get_survey_for_user_or_404(request.user, pk, action="view_results")
    results = selectors.survey_results(survey)
    may_read_texts = can(request.user, "view_texts", survey)
    context = {
        "survey": survey,
        "results": results,
        "charts": {row.question.pk: build_bar_chart(row.rows) for row in results.questions},
        "texts": selectors.text_answers(survey) if may_read_texts else None,
        "may_read_texts": may_read_texts,
        "may_change": can(request.user, "change", survey),
    }
    return render(request, "surveys/survey_results.html", context)


RESULT_FIELDS = ["question", "question_text", "kind", "answered", "answer", "count", "percent"]


def _result_rows(results: selectors.Results) -> Iterator[dict[str, object]]:
    for row in results.questions:
        question = row.question
        common = {
            "question": row.number,
            "question_text": question.localized_text,
            "kind": question.kind,
            "answered": row.answered,
        }
        for bar in row.rows:
            yield {**common, "answer": bar.label, "count": bar.count, "percent": bar.percent}
        if row.mean is not None:
            yield {**common, "answer": _("mean"), "count": "", "percent": "", "mean": row.mean}
        if not row.rows:
            yield {**common, "answer": "", "count": row.answered, "percent": ""}


@require_GET
def results_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The counts as open data (no free text), for everyone who may see the results."""
    survey = get_survey_for_user_or_404(request.user, pk, action="view_results")
    results = selectors.survey_results(survey)
    rows = ({**row, "mean": row.get("mean", "")} for row in _result_rows(results))
    return csv_response(rows, [*RESULT_FIELDS, "mean"], f"survey-{survey.pk}-results")


@login_required
@require_GET
def responses_csv(request: AuthenticatedRequest, pk: int) -> StreamingHttpResponse:
    """Every response, free text included, for those who run the survey: a number and a day
    for each, never a person (docs/surveys.md)."""
    survey = get_survey_for_user_or_404(request.user, pk, action="view_texts")
    questions = selectors.questions_of(survey)
    # Numbered, so each heading is its own and none begins like a formula (core/exports.py).
    headings = [f"{n}. {q.localized_text}" for n, q in enumerate(questions, start=1)]
    fields = ["response", "submitted_on", *headings]
    rows = (
        dict(zip(fields, row, strict=True)) for row in selectors.response_rows(survey, questions)
    )
    return csv_response(rows, fields, f"survey-{survey.pk}-responses")
