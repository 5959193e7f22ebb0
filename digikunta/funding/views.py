"""Pages of the accelerator: calls, applying, reviewing, deciding, reporting, the dashboard."""

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.accounts.models import User
from digikunta.accounts.requests import AuthenticatedRequest
from digikunta.core.exports import table_response
from digikunta.core.forms import add_errors
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.links import absolute_url
from digikunta.core.pagecache import REFERENCE, cache_public_page
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.experiments.pages import LISTING as EXPERIMENTS
from digikunta.funding import selectors, services
from digikunta.funding.access import (
    get_application_for_user_or_404,
    get_assignment_for_user_or_404,
    get_call_for_user_or_404,
    get_decision_for_user_or_404,
    get_instalment_for_user_or_404,
)
from digikunta.funding.documents import decision_body, decision_document
from digikunta.funding.forms import (
    ApplicationForm,
    ApplicationStartForm,
    AssignForm,
    BudgetFormSet,
    BudgetLineForm,
    CallForm,
    ConflictForm,
    CriterionFormSet,
    DecisionForm,
    InstalmentFormSet,
    PaymentForm,
    QuestionFormSet,
    ReportForm,
    ReviewForm,
    filled,
)
from digikunta.funding.models import (
    Answer,
    Application,
    Call,
)
from digikunta.funding.pages import LISTING as CALLS
from digikunta.funding.pages import call_key
from digikunta.organisations.pages import NAMES as ORGANISATION_NAMES

# --- Calls ----------------------------------------------------------------------------------

# A call's page names applicants and their experiments and the eligible regions (ADR 0012).
CALL_PAGE_SHOWS = (EXPERIMENTS, REFERENCE, ORGANISATION_NAMES)


@require_GET
@cache_public_page(CALLS, ORGANISATION_NAMES)
def call_list(request: HttpRequest) -> HttpResponse:
    context = {
        "calls": selectors.calls_by_state(request.user),
        "can_add": can(request.user, "add", Call),
    }
    return render(request, "funding/call_list.html", context)


@require_GET
@cache_public_page(*CALL_PAGE_SHOWS, per_object=lambda slug: [call_key(slug)])
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_call_for_user_or_404(request.user, slug=slug)
    context = {
        "call": call,
        "criteria": call.criteria.all(),
        "questions": call.questions.all(),
        "decisions": selectors.decided(call, request.user),
        "budget_left": selectors.budget_left(call),
        "can_manage": can(request.user, "manage", call),
        "regions": list(call.eligible_regions.all()),
    }
    return render(request, "funding/call_detail.html", context)


def _call_form(request: AuthenticatedRequest, call: Call | None) -> HttpResponse:
    initial_criteria = selectors.call_criteria_rows(call)
    initial_questions = selectors.call_question_rows(call)
    data = request.POST or None
    form = CallForm(data, instance=call)
    # Bound, the posted rows are the whole truth: rows equal to an initial would be skipped.
    criteria = CriterionFormSet(
        data, prefix="criteria", initial=None if data is not None else initial_criteria
    )
    questions = QuestionFormSet(
        data, prefix="questions", initial=None if data is not None else initial_questions
    )
    locked = selectors.call_has_applications(call)
    if data is not None and form.is_valid() and criteria.is_valid() and questions.is_valid():
        fields = dict(form.cleaned_data)
        try:
            saved = services.call_save(
                by=request.user,
                call=call,
                criteria=filled(criteria, "name"),
                questions=None if locked else filled(questions, "label"),
                **fields,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The call was saved."))
            return redirect(saved)
    status = 422 if data is not None else 200
    context = {
        "form": form,
        "criteria": criteria,
        "questions": questions,
        "call": call,
        "questions_locked": locked,
    }
    return render(request, "funding/call_form.html", context, status=status)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def call_create(request: AuthenticatedRequest) -> HttpResponse:
    if not can(request.user, "add", Call):
        raise PermissionDenied
    return _call_form(request, None)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def call_update(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _call_form(request, get_call_for_user_or_404(request.user, slug=slug, action="change"))


@login_required
@require_GET
def call_applications(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = get_call_for_user_or_404(request.user, slug=slug, action="manage")
    rows = selectors.call_review_totals(call)
    suggested = {row.application.pk for row in selectors.funding_suggestion(call, rows)}
    context = {
        "call": call,
        "rows": rows,
        "suggested": suggested,
        "budget_left": selectors.budget_left(call),
        "overdue_reports": selectors.overdue_reports(call),
    }
    return render(request, "funding/call_applications.html", context)


@login_required
@require_GET
def call_dashboard(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = get_call_for_user_or_404(request.user, slug=slug, action="manage")
    context = {"call": call, "dashboard": selectors.decision_dashboard(call)}
    return render(request, "funding/call_dashboard.html", context)


DECISION_FIELDS = [
    "call",
    "experiment",
    "experiment_url",
    "applicant",
    "decision",
    "decision_label",
    "granted_amount",
    "conditions",
    "reasoning",
    "decided_on",
]


def _decision_rows(call: Call, request: HttpRequest) -> Iterator[dict[str, Any]]:
    # Streamed after the view returns: the links take the request explicitly.
    for row in selectors.decided(call, request.user):
        decision = row.decision
        yield {
            "call": call.slug,
            "experiment": str(row.experiment_title),
            "experiment_url": (
                absolute_url(row.experiment_url, request) if row.experiment_url else ""
            ),
            "applicant": row.application.applicant.display_name,
            "decision": row.application.status,
            "decision_label": str(row.application.get_status_display()),
            "granted_amount": decision.granted_amount,
            "conditions": decision.conditions,
            "reasoning": decision.reasoning,
            "decided_on": timezone.localdate(decision.decided_at),
        }


@require_GET
def decisions_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    call = get_call_for_user_or_404(request.user, slug=slug)
    rows = _decision_rows(call, request)
    response = table_response(
        fmt, rows, DECISION_FIELDS, f"{call.slug}-decisions", sheet=_("Decisions")
    )
    if response is None:
        raise Http404
    return response


# --- Applying -------------------------------------------------------------------------------


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def application_start(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = get_call_for_user_or_404(request.user, slug=slug)
    organisations, experiments = selectors.applying_choices(request.user, call)
    form = ApplicationStartForm(
        request.POST or None, experiments=experiments, organisations=organisations
    )
    if not organisations.exists():
        messages.info(request, _("Join an organisation first: organisations apply, not people."))
        return redirect("organisations:organisation_list")
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create(
                call=call,
                by=request.user,
                experiment=data["experiment"],
                applicant=data["applicant"],
                new_experiment=None
                if data["experiment"]
                else {"title": data["title"], "summary": data["summary"]},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("funding:application_edit", application.pk)
    context = {"call": call, "form": form}
    return render_page_or_partial(request, "funding/application_start.html", "form", context)


def _application_forms(
    request: HttpRequest, application: Application
) -> tuple[ApplicationForm, forms.BaseFormSet[BudgetLineForm], dict[int, Answer]]:
    questions = list(application.call.questions.all())
    answers = selectors.answers_of(application)
    initial = {
        "summary": application.summary,
        "own_contribution": application.own_contribution,
        "language": application.language,
        "version": application.version,
    }
    for question in questions:
        answer = answers.get(question.pk)
        if answer and question.kind != "file":
            initial[f"q_{question.pk}"] = (
                answer.number if question.kind == "number" else answer.text
            )
    data = request.POST or None
    form = ApplicationForm(data, request.FILES or None, questions=questions, initial=initial)
    # Bound, the posted rows are the whole truth: rows equal to an initial would be skipped.
    budget = BudgetFormSet(
        data,
        prefix="budget",
        initial=None
        if data is not None
        else [
            {"description": line.description, "amount": line.amount}
            for line in application.budget_lines.all()
        ],
    )
    return form, budget, answers


def _save_draft(
    request: AuthenticatedRequest,
    application: Application,
    form: ApplicationForm,
    budget: forms.BaseFormSet[BudgetLineForm],
) -> bool:
    if not (form.is_valid() and budget.is_valid()):
        return False
    try:
        services.application_save(
            application=application,
            by=request.user,
            version=form.cleaned_data["version"],
            summary=form.cleaned_data["summary"],
            own_contribution=form.cleaned_data["own_contribution"] or 0,
            language=form.cleaned_data["language"],
            budget_lines=[
                (row["description"], row["amount"]) for row in filled(budget, "description")
            ],
            answers=form.answers(),
        )
    except ValidationError as error:
        add_errors(form, error)
        return False
    return True


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def application_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The application form. htmx saves the draft on every change ("autosave"); the submit
    button saves and submits, and lists what to fix when something is missing."""
    application = get_application_for_user_or_404(request.user, pk, "change")
    form, budget, answers = _application_forms(request, application)
    status = 200
    saved = False
    if request.method == "POST":
        saved = _save_draft(request, application, form, budget)
        if saved and "submit" in request.POST:
            try:
                services.application_submit(application=application, by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The application was submitted."))
                return redirect(application)
        elif saved and not request.htmx:
            messages.success(request, _("The draft was saved."))
            return redirect("funding:application_edit", application.pk)
        application.refresh_from_db()
        if saved:
            posted = cast(QueryDict, form.data).copy()  # request.POST, bound above
            posted["version"] = str(application.version)
            form.data = posted
        status = 200 if saved and not form.errors else 422
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "budget": budget,
        "answers": answers,
        "saved_at": timezone.localtime() if saved else None,  # never on a refused save
        "problems": selectors.submission_problems(application, timezone.now()),
    }
    partial = "autosave" if request.htmx else None
    if partial:
        return render(request, "funding/application_form.html#autosave", context, status=status)
    return render(request, "funding/application_form.html", context, status=status)


@login_required
@require_GET
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    user = request.user
    is_staff = can(user, "see_reviews", application)
    context = {
        "application": application,
        "call": application.call,
        "answers": selectors.application_answers(application),
        "decisions": application.decisions.all(),
        "instalments": selectors.instalments_of(application),
        "reports": application.reports.all(),
        "can_change": can(user, "change", application),
        "can_withdraw": can(user, "withdraw", application),
        "can_report": can(user, "report", application),
        "can_decide": can(user, "decide", application),
        "can_pay": can(user, "pay", application),
        "is_staff": is_staff,
        "report_due_on": selectors.report_due_on(application),
        "own_assignment": selectors.own_assignment(application, user),
    }
    if is_staff:
        totals = selectors.call_review_totals(application.call, only=application)
        context["totals"] = totals[0] if totals else None
        context["reviews"] = selectors.reviews_of(application)
        context["assign_form"] = AssignForm(reviewers=selectors.reviewer_choices(application))
        context["decision_form"] = DecisionForm(initial=_decision_initial(application, user))
        context["instalments_form"] = InstalmentFormSet(prefix="instalments")
    if context["can_pay"]:
        context["payment_form"] = PaymentForm(initial={"paid_on": timezone.localdate()})
    return render(request, "funding/application_detail.html", context)


def _decision_initial(application: Application, user: User) -> dict[str, Any]:
    return {
        "granted_amount": application.requested_amount,
        "decision_maker_name": user.get_full_name(),
        "decision_maker_title": user.contact_title,
    }


@login_required
@limit_form_posts
@require_POST
def application_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk, "withdraw")
    try:
        services.application_withdraw(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect(application)


@login_required
@require_GET
def answer_file(request: AuthenticatedRequest, pk: int, answer_id: int) -> FileResponse:
    application = get_application_for_user_or_404(request.user, pk)
    answer = selectors.answer_file_of(application, answer_id)
    if answer is None:
        raise Http404
    response = FileResponse(answer.file.open("rb"), as_attachment=True, filename=answer.file_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def my_applications(request: AuthenticatedRequest) -> HttpResponse:
    applications = selectors.applications_of(request.user)
    reviews = selectors.reviews_for(request.user)
    context = {"applications": applications, "reviews": reviews}
    return render(request, "funding/my_applications.html", context)


# --- Review and decisions -------------------------------------------------------------------


@login_required
@limit_form_posts
@require_POST
def reviewers_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    if not can(request.user, "manage", application.call):
        raise PermissionDenied
    form = AssignForm(request.POST, reviewers=selectors.reviewer_choices(application))
    if form.is_valid():
        try:
            services.reviewers_assign(
                application=application, reviewers=form.cleaned_data["reviewers"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The reviewers were assigned."))
    else:
        messages.error(request, _("Choose at least one reviewer."))
    return redirect(application)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A reviewer's page: declare a conflict, or read and score. Others' scores only after
    one's own review is submitted."""
    assignment = get_assignment_for_user_or_404(request.user, pk)
    application = assignment.application
    criteria = list(application.call.criteria.all())
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    initial = {"general_comment": assignment.general_comment}
    for criterion_id, score in scores.items():
        initial[f"score_{criterion_id}"] = str(score.value)
        initial[f"comment_{criterion_id}"] = score.comment
    data = request.POST if "scores" in request.POST or "submit" in request.POST else None
    form = ReviewForm(data, criteria=criteria, initial=initial)
    conflict = ConflictForm(request.POST if "conflict" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if "conflict" in request.POST:
                if conflict.is_valid():
                    services.conflict_declare(
                        assignment=assignment,
                        by=request.user,
                        reason=conflict.cleaned_data["conflict_reason"],
                    )
                    messages.success(request, _("Thank you. The coordinator will reassign it."))
                    return redirect("funding:my_applications")
            elif form.is_valid():
                services.scores_save(
                    assignment=assignment,
                    by=request.user,
                    scores=form.scores(),
                    general_comment=form.cleaned_data["general_comment"],
                )
                if "submit" in request.POST:
                    services.review_submit(assignment=assignment, by=request.user)
                    messages.success(request, _("Your review was submitted."))
                else:
                    messages.success(request, _("Your scores were saved."))
                return redirect(assignment)
        except ValidationError as error:
            add_errors(conflict if "conflict" in request.POST else form, error)
        status = 422
    if assignment.conflict_of_interest:
        raise Http404
    others = selectors.other_reviews(assignment, criteria) if assignment.submitted_at else []
    context = {
        "assignment": assignment,
        "application": application,
        "call": application.call,
        "answers": selectors.application_answers(application),
        "form": form,
        "conflict_form": conflict,
        "others": others,
    }
    return render(request, "funding/review.html", context, status=status)


@login_required
@limit_form_posts
@require_POST
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk, "decide")
    form = DecisionForm(request.POST)
    instalments = InstalmentFormSet(request.POST, prefix="instalments")
    if form.is_valid() and instalments.is_valid():
        data = form.cleaned_data
        plan = [(row["amount"], row["trigger"]) for row in filled(instalments, "amount")] or None
        try:
            decision = services.decision_make(
                application=application,
                by=request.user,
                outcome=data["outcome"],
                reasoning=data["reasoning"],
                granted_amount=data["granted_amount"],
                conditions=data["conditions"],
                instalments=plan,
                decision_maker_name=data["decision_maker_name"],
                decision_maker_title=data["decision_maker_title"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Decision %(number)s was made and sent to the applicant.")
                % {"number": decision.record_number},
            )
            return redirect(decision)
    context = {
        "application": application,
        "call": application.call,
        "decision_form": form,
        "instalments_form": instalments,
    }
    return render(request, "funding/decision_form.html", context, status=422)


@login_required
@require_GET
def decision_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user_or_404(request.user, pk)
    context = {
        "decision": decision,
        "application": decision.application,
        "call": decision.application.call,
        "body": decision_body(decision),
    }
    return render(request, "funding/decision_detail.html", context)


@login_required
@require_GET
def decision_document_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    decision = decision_document(get_decision_for_user_or_404(request.user, pk))
    return FileResponse(
        decision.document.open("rb"),
        as_attachment=True,
        filename=decision.document_name,
        content_type="application/pdf",
    )


@login_required
@limit_form_posts
@require_POST
def payment_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    instalment = get_instalment_for_user_or_404(request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(instalment=instalment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The payment was recorded."))
            return redirect(instalment.application)
    context = {"instalment": instalment, "application": instalment.application, "form": form}
    return render(request, "funding/payment_form.html", context, status=422)


@login_required
@limit_form_posts
@require_POST
def call_publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = get_call_for_user_or_404(request.user, slug=slug, action="publish")
    try:
        if request.POST.get("publish") == "0":
            services.call_unpublish(call=call, by=request.user)
            messages.success(request, _("The call is a draft again: only coordinators see it."))
        else:
            services.call_publish(call=call, by=request.user)
            messages.success(request, _("The call was published."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(call)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk, "report")
    indicators = list(application.experiment.indicators.all())
    form = ReportForm(request.POST or None, indicators=indicators, initial={"kind": "final"})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_submit(
                application=application,
                by=request.user,
                kind=data["kind"],
                results=data["results"],
                lessons=data["lessons"],
                outcome=data["outcome"],
                spent=data["spent"],
                measurements=form.measurements(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: the report was submitted."))
            return redirect(application)
    context = {"application": application, "call": application.call, "form": form}
    return render_page_or_partial(request, "funding/report_form.html", "form", context)
