"""API: funding calls, applications, reviews and decisions, under the same rules as the pages.

Calls and decisions are public. Applying, reviewing and deciding need a personal token.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from digikunta.accounts.models import User
from digikunta.api.auth import TokenRequest, token_auth, viewer
from digikunta.api.types import Count, Id, PathId
from digikunta.core.permissions import can
from digikunta.experiments.models import Experiment
from digikunta.funding import selectors, services
from digikunta.funding.access import (
    calls_for_user,
    get_application_for_user_or_404,
    get_assignment_for_user_or_404,
    get_call_for_user_or_404,
)
from digikunta.funding.models import (
    Application,
    BudgetLine,
    Call,
    Criterion,
    Question,
    ReviewAssignment,
)
from digikunta.organisations.models import Organisation

router = Router()  # /calls
applications_router = Router()  # /applications
reviews_router = Router()  # /reviews


class CriterionOut(Schema):
    id: int
    name: str
    name_sv: str
    weight: int


class QuestionOut(Schema):
    id: int
    kind: str
    label: str
    label_sv: str
    required: bool
    choices: list[str]


class CallOut(Schema):
    id: int
    slug: str
    title: str
    title_sv: str
    description: str
    description_sv: str
    organiser: str = Field(description="The organiser organisation's slug.")
    state: str = Field(description="upcoming, open or closed, now.")
    total_budget: Decimal
    max_per_application: Decimal
    own_contribution_percent: int
    opens_at: datetime
    closes_at: datetime
    eligible_kinds: list[str]
    eligible_regions: list[str]
    decision_days: int
    report_due_days: int
    fast_track: bool
    criteria: list[CriterionOut]
    questions: list[QuestionOut]

    @staticmethod
    def resolve_organiser(obj: Call) -> str:
        return obj.organiser.slug

    @staticmethod
    def resolve_eligible_regions(obj: Call) -> list[str]:
        return [r.code for r in obj.eligible_regions.all()]

    @staticmethod
    def resolve_criteria(obj: Call) -> list[Criterion]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_questions(obj: Call) -> list[Question]:
        return list(obj.questions.all())


@router.get("", response=list[CallOut], url_name="call_list")
@paginate
def call_list(request: HttpRequest) -> object:
    """Funding calls, newest first: open, upcoming and closed."""
    return calls_for_user(viewer(request))


@router.get("/{id:call_id}", response=CallOut, url_name="call_detail")
def call_detail(request: HttpRequest, call_id: PathId) -> Call:
    return get_call_for_user_or_404(viewer(request), pk=call_id)


class DecisionOut(Schema):
    record_number: str
    experiment: str
    applicant: str
    decision: str
    granted_amount: Decimal | None
    conditions: str
    reasoning: str
    decided_at: datetime


@router.get("/{id:call_id}/decisions", response=list[DecisionOut], url_name="call_decisions")
def call_decisions(request: HttpRequest, call_id: PathId) -> list[dict[str, Any]]:
    """Approvals and rejections, public. Reviewers and their scores never are, nor the title
    of an experiment the caller may not see ("Experiment not public" instead)."""
    user = viewer(request)
    call = get_call_for_user_or_404(user, pk=call_id)
    return [
        {
            "record_number": row.decision.record_number,
            "experiment": row.experiment_title,
            "applicant": row.application.applicant.slug,
            "decision": row.application.status,
            "granted_amount": row.decision.granted_amount,
            "conditions": row.decision.conditions,
            "reasoning": row.decision.reasoning,
            "decided_at": row.decision.decided_at,
        }
        for row in selectors.decided(call, user)
    ]


class BudgetLineIO(Schema):
    description: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class NewExperimentIn(Schema):
    applicant: str = Field(max_length=100, description="The applying organisation's slug.")
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=2000)


class ApplicationIn(Schema):
    summary: str | None = Field(None, max_length=20000)
    own_contribution: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    language: str | None = Field(None, pattern="^(fi|sv|en)$")
    budget_lines: list[BudgetLineIO] | None = Field(None, max_length=100)
    answers: dict[Id, Annotated[str, Field(max_length=20000)]] | None = Field(
        None, max_length=200, description="Question id → answer (files are attached on the page)."
    )
    version: Count | None = Field(
        None, description="The version you read; a stale one is refused, not merged."
    )


class ApplicationCreateIn(ApplicationIn):
    experiment: Id | None = Field(None, description="Id of one of your experiments.")
    new_experiment: NewExperimentIn | None = None


class ApplicationOut(Schema):
    id: int
    call: int = Field(alias="call_id")
    experiment: int = Field(alias="experiment_id")
    applicant: str
    status: str
    summary: str
    own_contribution: Decimal
    total_cost: Decimal
    requested_amount: Decimal
    language: str
    budget_lines: list[BudgetLineIO]
    submitted_at: datetime | None
    decided_at: datetime | None
    record_numbers: list[str] = Field(description="The application's decisions, oldest first.")
    version: int

    @staticmethod
    def resolve_applicant(obj: Application) -> str:
        return obj.applicant.slug

    @staticmethod
    def resolve_record_numbers(obj: Application) -> list[str]:
        return [decision.record_number for decision in obj.decisions.all()]

    @staticmethod
    def resolve_budget_lines(obj: Application) -> list[BudgetLine]:
        return list(obj.budget_lines.all())


def _save(application: Application, payload: ApplicationIn, user: User) -> None:
    data = payload.dict(exclude_unset=True, exclude={"experiment", "new_experiment"})
    lines = data.pop("budget_lines", None)
    services.application_save(
        application=application,
        by=user,
        budget_lines=None
        if lines is None
        else [(line["description"], line["amount"]) for line in lines],
        **data,
    )


@router.post(
    "/{id:call_id}/applications",
    response={201: ApplicationOut},
    auth=token_auth,
    url_name="application_create",
)
def application_create(
    request: TokenRequest, call_id: PathId, payload: ApplicationCreateIn
) -> HttpStatus[Application]:
    """Start a draft with one of your experiments, or a new one, and save what is given."""
    call = get_call_for_user_or_404(request.auth, pk=call_id)
    experiment = None
    if payload.experiment is not None:
        experiment = get_object_or_404(Experiment, pk=payload.experiment)
    new = payload.new_experiment
    applicant = get_object_or_404(Organisation, slug=new.applicant) if new else None
    # One transaction: a draft whose first save is refused (a stale version, an unknown
    # question) is not left behind.
    with transaction.atomic():
        application = services.application_create(
            call=call,
            by=request.auth,
            experiment=experiment,
            applicant=applicant,
            new_experiment={"title": new.title, "summary": new.summary} if new else None,
        )
        _save(application, payload, request.auth)
    application.refresh_from_db()
    return HttpStatus(201, application)


@applications_router.get(
    "/{id:application_id}",
    response=ApplicationOut,
    auth=token_auth,
    url_name="application_detail",
)
def application_detail(request: TokenRequest, application_id: PathId) -> Application:
    return get_application_for_user_or_404(request.auth, application_id, "view")


@applications_router.patch(
    "/{id:application_id}",
    response=ApplicationOut,
    auth=token_auth,
    url_name="application_update",
)
def application_update(
    request: TokenRequest, application_id: PathId, payload: ApplicationIn
) -> Application:
    """Change a draft (or an application returned for changes)."""
    application = get_application_for_user_or_404(request.auth, application_id, "change")
    _save(application, payload, request.auth)
    application.refresh_from_db()
    return application


@applications_router.post(
    "/{id:application_id}/submit",
    response=ApplicationOut,
    auth=token_auth,
    url_name="application_submit",
)
def application_submit(request: TokenRequest, application_id: PathId) -> Application:
    """Submit; refused with every problem listed (late, over the maximum, missing answers)."""
    application = get_application_for_user_or_404(request.auth, application_id, "change")
    return services.application_submit(application=application, by=request.auth)


class ReviewersIn(Schema):
    reviewers: list[Id] = Field(min_length=1, max_length=50, description="User ids of reviewers.")


@applications_router.post(
    "/{id:application_id}/reviewers",
    response={201: list[int]},
    auth=token_auth,
    url_name="reviewers_assign",
)
def reviewers_assign(
    request: TokenRequest, application_id: PathId, payload: ReviewersIn
) -> HttpStatus[list[int]]:
    """Coordinators: give the application to reviewers; returns the new assignments' ids."""
    application = get_application_for_user_or_404(request.auth, application_id, "view")
    if not can(request.auth, "manage", application.call):
        raise PermissionDenied
    reviewers = selectors.active_people(payload.reviewers)
    if len(reviewers) != len(set(payload.reviewers)):
        raise Http404
    created = services.reviewers_assign(
        application=application, reviewers=reviewers, by=request.auth
    )
    return HttpStatus(201, [a.pk for a in created])


class ScoreIn(Schema):
    criterion: Id
    value: int | None = Field(None, ge=0, le=5)
    comment: str = Field("", max_length=5000)


class ReviewIn(Schema):
    scores: list[ScoreIn] = Field([], max_length=100)
    general_comment: str | None = Field(None, max_length=10000)
    submit: bool = Field(False, description="Submit the review after saving the scores.")


class ReviewOut(Schema):
    id: int
    application: int = Field(alias="application_id")
    conflict_of_interest: bool
    submitted_at: datetime | None
    scores: list[ScoreIn]

    @staticmethod
    def resolve_scores(obj: ReviewAssignment) -> list[dict[str, Any]]:
        return [
            {"criterion": s.criterion_id, "value": s.value, "comment": s.comment}
            for s in obj.scores.all()
        ]


@reviews_router.put(
    "/{id:review_id}", response=ReviewOut, auth=token_auth, url_name="review_update"
)
def review_update(request: TokenRequest, review_id: PathId, payload: ReviewIn) -> ReviewAssignment:
    """Reviewers: save scores 0–5 per criterion; with ``submit``, submit the review."""
    assignment = get_assignment_for_user_or_404(request.auth, review_id, "review")
    services.scores_save(
        assignment=assignment,
        by=request.auth,
        scores={s.criterion: (s.value, s.comment) for s in payload.scores},
        general_comment=payload.general_comment,
    )
    if payload.submit:
        services.review_submit(assignment=assignment, by=request.auth)
    return assignment


class InstalmentIn(Schema):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    trigger: str = Field(pattern="^(approval|interim_report|final_report)$")


class DecisionIn(Schema):
    outcome: str = Field(pattern="^(approved|rejected|returned)$")
    reasoning: str = Field(min_length=1, max_length=20000)
    granted_amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    conditions: str = Field("", max_length=5000)
    instalments: list[InstalmentIn] | None = Field(None, max_length=20)
    decision_maker_name: str = Field(
        "", max_length=200, description="Printed on the decision; the token holder's name if empty."
    )
    decision_maker_title: str = Field(
        "",
        max_length=200,
        description="Printed on the decision; the token holder's title if empty.",
    )


@applications_router.post(
    "/{id:application_id}/decision",
    response={201: ApplicationOut},
    auth=token_auth,
    url_name="decision_create",
)
def decision_create(
    request: TokenRequest, application_id: PathId, payload: DecisionIn
) -> HttpStatus[Application]:
    """Coordinators: approve, reject or return; the applicant is told by e-mail."""
    application = get_application_for_user_or_404(request.auth, application_id, "decide")
    services.decision_make(
        application=application,
        by=request.auth,
        outcome=payload.outcome,
        reasoning=payload.reasoning,
        granted_amount=payload.granted_amount,
        conditions=payload.conditions,
        instalments=[(i.amount, i.trigger) for i in payload.instalments]
        if payload.instalments
        else None,
        decision_maker_name=payload.decision_maker_name,
        decision_maker_title=payload.decision_maker_title,
    )
    application.refresh_from_db()
    return HttpStatus(201, application)
