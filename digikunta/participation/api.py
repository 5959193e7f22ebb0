"""API: participation processes and ideas, under the same rules as the pages.

Published processes and their ideas are open data. Declaring, posting ideas and supporting
need a personal token, and the same standing in the process as on the pages.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from digikunta.api.auth import TokenRequest, token_auth, viewer
from digikunta.api.types import PathId, Slug
from digikunta.core.markdown import MAX_BODY_CHARS
from digikunta.experiments.models import Theme
from digikunta.municipalities.models import Municipality
from digikunta.participation import services
from digikunta.participation.access import get_idea_for_user_or_404, get_process_for_user_or_404
from digikunta.participation.models import Idea, Process
from digikunta.participation.selectors import processes_for
from digikunta.search.selectors import search

router = Router()  # /processes
ideas_router = Router()  # /ideas


class PhaseOut(Schema):
    kind: str
    starts_on: date
    ends_on: date


class ProcessOut(Schema):
    id: int
    slug: str
    title: str
    title_sv: str
    description: str
    description_sv: str
    organiser: str = Field(description="The organiser organisation's slug.")
    municipalities: list[str] = Field(description="Municipality codes of the area.")
    eligible_bases: list[str] = Field(
        description="resident, summer_resident, works_or_studies or signed_in."
    )
    phases: list[PhaseOut]
    published_at: datetime | None

    @staticmethod
    def resolve_organiser(obj: Process) -> str:
        return obj.organiser.slug

    @staticmethod
    def resolve_municipalities(obj: Process) -> list[str]:
        return [m.code for m in obj.municipalities.all()]

    @staticmethod
    def resolve_phases(obj: Process) -> list[Any]:
        return list(obj.phases.all())


@router.get("", response=list[ProcessOut], url_name="process_list")
@paginate
def process_list(request: HttpRequest) -> QuerySet[Process]:
    """Participation processes, newest first."""
    return processes_for(viewer(request)).prefetch_related("municipalities")


@router.get("/{slug}", response=ProcessOut, url_name="process_detail")
def process_detail(request: HttpRequest, slug: Slug) -> Process:
    return get_process_for_user_or_404(viewer(request), slug=slug)


class DeclarationIn(Schema):
    basis: Literal["resident", "summer_resident", "works_or_studies"]
    municipality: str = Field(max_length=3, description="Municipality code, of the area.")


class DeclarationOut(Schema):
    basis: str
    municipality: str | None
    statement: str

    @staticmethod
    def resolve_municipality(obj: Any) -> str | None:
        return obj.municipality_id


@router.put("/{slug}/declaration", response=DeclarationOut, auth=token_auth, url_name="declaration")
def declaration_put(request: TokenRequest, slug: Slug, payload: DeclarationIn) -> Any:
    """Declare how you take part: "my home municipality is Kuopio" (the statement returned is
    the one you agree to, in your language)."""
    process = get_process_for_user_or_404(request.auth, slug=slug)
    municipality = Municipality.objects.filter(code=payload.municipality).first()
    return services.declare(
        user=request.auth, process=process, basis=payload.basis, municipality=municipality
    )


class AnswerOut(Schema):
    status: str = Field(description="accepted, in_progress or not_taken_forward.")
    reasoning: str
    office: str
    answered_at: datetime


class IdeaOut(Schema):
    id: int
    process: str = Field(description="The process's slug.")
    title: str
    body: str = Field(description="Markdown as written.")
    body_html: str = Field(description="The Markdown rendered and sanitised.")
    language: str
    theme: str | None = Field(description="Theme identifier.")
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    support_count: int
    answer: AnswerOut | None
    experiment: str | None = Field(description="The slug of the experiment taking it forward.")
    created_at: datetime
    edited_at: datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: Idea, context: dict[str, Any]) -> str:
        request: HttpRequest = context["request"]
        return request.build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_process(obj: Idea) -> str:
        return obj.process.slug

    @staticmethod
    def resolve_theme(obj: Idea) -> str | None:
        return obj.theme.slug if obj.theme else None

    @staticmethod
    def resolve_answer(obj: Idea) -> Any:
        return getattr(obj, "answer", None)

    @staticmethod
    def resolve_experiment(obj: Idea) -> str | None:
        experiment = obj.experiment
        if experiment is None or experiment.visibility != "public":
            return None
        return experiment.slug


class IdeaFilters(FilterSchema):
    search: str | None = Field(None, max_length=200, description="Words in fi, sv or en.")
    municipality: str | None = Field(None, max_length=3, description="Municipality code.")
    process: str | None = Field(None, max_length=80, description="Process slug.")
    theme: str | None = Field(None, max_length=50, description="Theme identifier.")
    answer: Literal["none", "accepted", "in_progress", "not_taken_forward"] | None = Field(
        None, description="none: not answered yet."
    )


def _ideas_for(user: Any) -> QuerySet[Idea]:
    visible = processes_for(user).values("pk")
    return (
        Idea.objects.visible()
        .filter(process__in=visible)
        .select_related("process", "theme", "answer", "experiment")
    )


@ideas_router.get("", response=list[IdeaOut], url_name="idea_list")
@paginate
def idea_list(request: HttpRequest, filters: Query[IdeaFilters]) -> QuerySet[Idea]:
    """Ideas of the processes you may see, newest first (best match first with ``search``)."""
    ideas = _ideas_for(viewer(request))
    if filters.municipality:
        ideas = ideas.filter(process__municipalities=filters.municipality).distinct()
    if filters.process:
        ideas = ideas.filter(process__slug=filters.process)
    if filters.theme:
        ideas = ideas.filter(theme__slug=filters.theme)
    if filters.answer == "none":
        ideas = ideas.filter(answer__isnull=True)
    elif filters.answer:
        ideas = ideas.filter(answer__status=filters.answer)
    if filters.search:
        return search(ideas, filters.search)
    return ideas.order_by("-created_at", "-pk")


@ideas_router.get("/{id:idea_id}", response=IdeaOut, url_name="idea_detail")
def idea_detail(request: HttpRequest, idea_id: PathId) -> Idea:
    """An idea; one hidden by the moderators is not found."""
    idea = get_idea_for_user_or_404(viewer(request), idea_id)
    if idea.is_hidden:
        raise Http404
    return idea


class IdeaIn(Schema):
    process: str = Field(max_length=80, description="The process's slug.")
    title: str = Field(min_length=3, max_length=150)
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS, description="Markdown.")
    language: Literal["fi", "sv", "en"] = "fi"
    theme: str | None = Field(None, max_length=50, description="Theme identifier.")
    address: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=8, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)


@ideas_router.post("", response={201: IdeaOut}, auth=token_auth, url_name="idea_create")
def idea_create(request: TokenRequest, payload: IdeaIn) -> HttpStatus[Idea]:
    """Post an idea in a process's ideas phase (declare first, unless anyone signed in may)."""
    process = get_process_for_user_or_404(request.auth, slug=payload.process)
    theme = get_object_or_404(Theme, slug=payload.theme) if payload.theme else None
    data = payload.dict(exclude={"process", "theme"})
    idea = services.idea_create(by=request.auth, process=process, theme=theme, **data)
    return HttpStatus(201, get_idea_for_user_or_404(request.auth, idea.pk))


class SupportOut(Schema):
    supported: bool
    support_count: int


def _support_state(idea: Idea, supported: bool) -> dict[str, Any]:
    idea.refresh_from_db(fields=["support_count"])
    return {"supported": supported, "support_count": idea.support_count}


@ideas_router.post(
    "/{id:idea_id}/support", response=SupportOut, auth=token_auth, url_name="idea_support"
)
def support_add(request: TokenRequest, idea_id: PathId) -> dict[str, Any]:
    """Support the idea; sending it again changes nothing (the count is exact)."""
    idea = get_idea_for_user_or_404(request.auth, idea_id)
    services.support_add(user=request.auth, idea=idea)
    return _support_state(idea, True)


@ideas_router.delete(
    "/{id:idea_id}/support", response=SupportOut, auth=token_auth, url_name="idea_unsupport"
)
def support_remove(request: TokenRequest, idea_id: PathId) -> dict[str, Any]:
    """Withdraw your support."""
    idea = get_idea_for_user_or_404(request.auth, idea_id)
    services.support_remove(user=request.auth, idea=idea)
    return _support_state(idea, False)
