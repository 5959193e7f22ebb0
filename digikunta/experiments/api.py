"""API: experiments. Public reads; writes with a personal token, under the same rules as pages."""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder
from ninja.responses import Status as HttpStatus

from digikunta.api.auth import TokenRequest, token_auth, viewer
from digikunta.api.pagination import PagePagination, page_url
from digikunta.api.types import PathId
from digikunta.casebank.selectors import Listing, casebank_listing
from digikunta.core.fragments import shared_html, shared_rows
from digikunta.core.markdown import MAX_BODY_CHARS
from digikunta.core.pagecache import REFERENCE
from digikunta.core.permissions import can
from digikunta.core.rows import one_where
from digikunta.experiments import services
from digikunta.experiments.models import (
    Experiment,
    Indicator,
    JournalEntry,
    LifeEvent,
    Measurement,
    NeedKind,
    Outcome,
    Status,
    Step,
    TargetGroup,
    Theme,
    Visibility,
)
from digikunta.experiments.pages import experiment_key
from digikunta.experiments.selectors import experiments_list, get_experiment_for_user_or_404
from digikunta.experiments.similarity import similar_experiments
from digikunta.experiments.views import PAGE_SHOWS as DETAIL_SHOWS
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.organisations.pages import NAMES as ORGANISATION_NAMES

router = Router()

TEXT_CHARS = 10_000  # problem, hypothesis, goal, expected benefit
MunicipalityCode = Annotated[str, Field(max_length=3)]
ThemeSlug = Annotated[str, Field(max_length=50)]
TargetGroupSlug = Annotated[str, Field(max_length=50)]
LifeEventCode = Annotated[str, Field(max_length=20)]
OrganisationSlug = Annotated[str, Field(max_length=80)]
Budget = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class StepOut(Schema):
    position: int
    title: str
    goal: str
    status: str
    starts_on: date | None
    ends_on: date | None


class MeasurementOut(Schema):
    measured_on: date
    value: Decimal
    note: str


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    measurements: list[MeasurementOut]

    @staticmethod
    def resolve_measurements(obj: Indicator) -> list[Measurement]:
        return list(obj.measurements.all())


class ExperimentOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    status: Status
    outcome: Outcome | None = None
    owner: str = Field(description="The owner organisation's slug.")
    municipalities: list[str] = Field(description="Codes of the participating municipalities.")
    themes: list[str]
    language: str
    starts_on: date | None
    ends_on: date | None
    results: str
    lessons: str
    reused_from: int | None = None
    visibility: Visibility = Field(
        description="`public`, `members` (the owner's members) or `draft` (not published)."
    )
    published_at: datetime | None = None
    url: str

    @staticmethod
    def resolve_outcome(obj: Experiment) -> str | None:
        return obj.outcome or None

    @staticmethod
    def resolve_owner(obj: Experiment) -> str:
        return obj.owner.slug

    @staticmethod
    def resolve_municipalities(obj: Experiment) -> list[str]:
        return [m.code for m in obj.municipalities.all()]

    @staticmethod
    def resolve_themes(obj: Experiment) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_reused_from(obj: Experiment) -> int | None:
        return obj.reused_from_id

    @staticmethod
    def resolve_url(obj: Experiment, context: dict[str, Any]) -> str:
        request: HttpRequest = context["request"]
        return request.build_absolute_uri(obj.get_absolute_url())


class ExperimentDetailOut(ExperimentOut):
    description: str
    problem: str
    hypothesis: str
    goal: str
    expected_benefit: str
    strategy_link: str
    partners: list[str] = Field(description="Slugs of the partner organisations.")
    target_groups: list[str] = Field(description="Target group identifiers.")
    life_events: list[str] = Field(description="Life event codes.")
    budget: Decimal | None = Field(description="In euros, or null.")
    funding_sources: str
    needs: list[NeedKind] = Field(description="What the experiment is looking for.")
    steps: list[StepOut]
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_partners(obj: Experiment) -> list[str]:
        return [p.slug for p in obj.partners.all()]

    @staticmethod
    def resolve_target_groups(obj: Experiment) -> list[str]:
        return [g.slug for g in obj.target_groups.all()]

    @staticmethod
    def resolve_life_events(obj: Experiment) -> list[str]:
        return [e.code for e in obj.life_events.all()]

    @staticmethod
    def resolve_needs(obj: Experiment) -> list[str]:
        return sorted(n.kind for n in obj.needs.all())

    @staticmethod
    def resolve_steps(obj: Experiment) -> list[Step]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_indicators(obj: Experiment) -> list[Indicator]:
        return list(obj.indicators.prefetch_related("measurements"))


class ExperimentFilters(FilterSchema):
    search: str | None = Field(
        None,
        max_length=200,
        description="Words in Finnish, Swedish or English; inflected forms and compounds match.",
    )
    municipality: str | None = Field(None, max_length=3, description="Municipality code.")
    region: str | None = Field(None, max_length=2, description="Region code.")
    theme: str | None = Field(None, max_length=50, description="Theme identifier.")
    status: Status | None = None
    outcome: Outcome | None = None


class ExperimentIn(Schema):
    owner: str = Field(max_length=100, description="Slug of an organisation you belong to.")
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=1, max_length=600)
    description: str = Field("", max_length=TEXT_CHARS)
    problem: str = Field("", max_length=TEXT_CHARS)
    hypothesis: str = Field("", max_length=TEXT_CHARS)
    goal: str = Field("", max_length=TEXT_CHARS)
    expected_benefit: str = Field("", max_length=TEXT_CHARS)
    municipalities: list[MunicipalityCode] = Field(
        default_factory=list, max_length=400, description="Municipality codes."
    )
    partners: list[OrganisationSlug] = Field(
        default_factory=list,
        max_length=100,
        description="Slugs of partner organisations, other than the owner.",
    )
    themes: list[ThemeSlug] = Field(
        default_factory=list, max_length=50, description="Theme identifiers."
    )
    target_groups: list[TargetGroupSlug] = Field(
        default_factory=list, max_length=50, description="Target group identifiers."
    )
    life_events: list[LifeEventCode] = Field(
        default_factory=list, max_length=50, description="Life event codes, e.g. `BE-START`."
    )
    strategy_link: str = Field("", max_length=TEXT_CHARS)
    budget: Budget | None = Field(None, description='In euros, e.g. `"25000.00"`.')
    funding_sources: str = Field("", max_length=300)
    needs: list[NeedKind] = Field(
        default_factory=list, max_length=4, description="What the experiment is looking for."
    )
    starts_on: date | None = None
    ends_on: date | None = None
    language: str = Field("fi", pattern="^(fi|sv|en)$")
    visibility: Visibility = Field(
        Visibility.DRAFT,
        description="A draft (the default) is seen by its team, its organisation's "
        "administrators and the coordinators only; `public` or `members` publishes it at once.",
    )


class ExperimentPatch(Schema):
    title: str | None = Field(None, min_length=3, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=600)
    description: str | None = Field(None, max_length=TEXT_CHARS)
    problem: str | None = Field(None, max_length=TEXT_CHARS)
    hypothesis: str | None = Field(None, max_length=TEXT_CHARS)
    goal: str | None = Field(None, max_length=TEXT_CHARS)
    expected_benefit: str | None = Field(None, max_length=TEXT_CHARS)
    municipalities: list[MunicipalityCode] | None = Field(None, max_length=400)
    partners: list[OrganisationSlug] | None = Field(None, max_length=100)
    themes: list[ThemeSlug] | None = Field(None, max_length=50)
    target_groups: list[TargetGroupSlug] | None = Field(None, max_length=50)
    life_events: list[LifeEventCode] | None = Field(None, max_length=50)
    strategy_link: str | None = Field(None, max_length=TEXT_CHARS)
    budget: Budget | None = Field(None, description="In euros; null removes the budget.")
    funding_sources: str | None = Field(None, max_length=300)
    needs: list[NeedKind] | None = Field(None, max_length=4)
    starts_on: date | None = None
    ends_on: date | None = None
    results: str | None = Field(
        None,
        max_length=MAX_BODY_CHARS,
        description="Cannot be emptied once the experiment has ended.",
    )
    lessons: str | None = Field(
        None,
        max_length=MAX_BODY_CHARS,
        description="Cannot be emptied once the experiment has been evaluated.",
    )
    visibility: Visibility | None = Field(
        None,
        description="`public` or `members` publishes the experiment, `draft` unpublishes it: "
        "for its lead, its organisation's administrators and the coordinators.",
    )


class TransitionIn(Schema):
    to: Status
    results: str | None = Field(None, max_length=MAX_BODY_CHARS)
    outcome: Outcome | None = None
    lessons: str | None = Field(None, max_length=MAX_BODY_CHARS)


class MeasurementIn(Schema):
    measured_on: date
    value: Decimal = Field(max_digits=14, decimal_places=2)
    note: str = Field("", max_length=300)


def _with_related(experiments: QuerySet[Experiment]) -> QuerySet[Experiment]:
    return experiments.select_related("owner").prefetch_related("municipalities", "themes")


# The lists of identifiers a body may hold: the model they name and the field that is the key.
REFERENCES = {
    "municipalities": (Municipality, "code"),
    "partners": (Organisation, "slug"),
    "themes": (Theme, "slug"),
    "target_groups": (TargetGroup, "slug"),
    "life_events": (LifeEvent, "code"),
}
LIST_FIELDS = (*REFERENCES, "needs")


def _unknown(name: str, keys: list[str]) -> str:
    """The message for identifiers in the list ``name`` that name nothing."""
    joined = ", ".join(keys)
    if name == "municipalities":
        return _("No municipality has the code %(code)s.") % {"code": joined}
    if name == "partners":
        return _("No organisation has the address %(slugs)s.") % {"slugs": joined}
    if name == "themes":
        return _("Unknown theme: %(themes)s.") % {"themes": joined}
    if name == "target_groups":
        return _("Unknown target group: %(groups)s.") % {"groups": joined}
    return _("Unknown life event: %(codes)s.") % {"codes": joined}


def _resolve_codes(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The body's lists of identifiers as the rows they name; a 422 names those that name
    nothing. A list sent as null changes nothing."""
    for name in LIST_FIELDS:
        if name in data and data[name] is None:
            del data[name]
    errors = {}
    for name, (model, key) in REFERENCES.items():
        if name not in data:
            continue
        keys = data[name]
        found = list(model._default_manager.filter(**{f"{key}__in": keys}))
        missing = sorted(set(keys) - {getattr(row, key) for row in found})
        if missing:
            errors[name] = _unknown(name, missing)
        data[name] = found
    if errors:
        raise ValidationError(errors)
    return data


class ExperimentPage(Schema):
    """PagePagination's page (api/pagination.py), with the experiments' own shape."""

    count: int = Field(description="All items that match, on every page.")
    next: str | None = Field(description="Address of the next page, or null.")
    previous: str | None = Field(description="Address of the previous page, or null.")
    results: list[ExperimentOut]


@router.get("", response=ExperimentPage, url_name="experiment_list")
def experiment_list(
    request: HttpRequest,
    filters: Query[ExperimentFilters],
    pages: Query[PagePagination.Input],
) -> HttpResponse:
    """Experiments you may see (public ones without a token), newest change first."""
    # The case bank's own selector and counts, so the page and the API find the same
    # experiments in the same way (id subqueries for the facets, the search ranking; issue 9).
    size, page = pages.page_size, pages.page
    offset = (page - 1) * size
    listing = casebank_listing(viewer(request), _casebank_filters(filters), per_page=size)
    rows = listing[offset : offset + size]
    count = listing.count()
    items = _stored_items(request, listing, rows)
    body = {
        "count": count,
        "next": page_url(request, page + 1, size) if offset + size < count else None,
        "previous": page_url(request, page - 1, size) if page > 1 else None,
    }
    # The stored items are JSON already: the page around them is written the same way.
    head = json.dumps(body, cls=NinjaJSONEncoder)[:-1]
    return HttpResponse(
        f'{head}, "results": [{", ".join(item for item in items if item)}]}}',
        content_type="application/json; charset=utf-8",
    )


def _stored_items(request: HttpRequest, listing: Listing, rows: list[Experiment]) -> list[str]:
    """Each row as ExperimentOut JSON, from the fragment cache (ADR 0013); the rows, places
    and themes of the items not stored yet are read in one batch, so a page costs the same
    queries whatever its size. Every save moves updated_at; names of owners, places and
    themes have their own keys."""

    def render(missing: list[Experiment]) -> list[str]:
        complete = listing.complete(missing)
        prefetch_related_objects([e for e in complete if e is not None], "municipalities", "themes")
        items = []
        for experiment in complete:
            if experiment is None:  # deleted since the listing read it
                items.append("")
                continue
            item = ExperimentOut.model_validate(experiment, context={"request": request})
            items.append(json.dumps(item.model_dump(by_alias=True), cls=NinjaJSONEncoder))
        return items

    where = [request.scheme, request.get_host()]
    return shared_rows(
        "api:experiment-item",
        [ORGANISATION_NAMES, REFERENCE],
        rows,
        vary=lambda experiment: [experiment.pk, experiment.updated_at.isoformat(), *where],
        render=render,
    )


def _casebank_filters(filters: ExperimentFilters) -> dict[str, Any]:
    """The API's parameters in the case-bank selector's terms; codes are primary keys."""
    return {
        "q": filters.search,
        "municipality": filters.municipality,
        "region": filters.region,
        # An identifier nobody has matches no experiment, as on the page's export.
        "theme": filters.theme,
        "status": filters.status,
        "outcome": filters.outcome,
    }


@router.get("/{id:experiment_id}", response=ExperimentDetailOut, url_name="experiment_detail")
def experiment_detail(request: HttpRequest, experiment_id: PathId) -> HttpResponse:
    # Who may see it needs these columns only; the body is the same for everyone who may, and
    # comes from the fragment cache under the experiment page's keys (ADR 0012, 0013), whose
    # versions are read first (the body itself is read after them).
    found = one_where(
        Experiment, "id", experiment_id, names=["id", "slug", "visibility", "owner_id"]
    )
    if found is None:
        raise Http404
    experiment = found[0]
    # The rule of get_experiment_for_user_or_404, without fetching the experiment twice.
    if not can(viewer(request), "view", experiment):
        raise Http404
    body = shared_html(
        "api:experiment",
        [*DETAIL_SHOWS, experiment_key(experiment.slug)],
        lambda: _detail_json(request, experiment.pk),
        vary=[request.scheme, request.get_host()],  # its links are absolute
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _detail_json(request: HttpRequest, pk: int) -> str:
    experiment = (
        _with_related(Experiment.objects.all())
        .prefetch_related("partners", "target_groups", "life_events", "needs")
        .get(pk=pk)
    )
    detail = ExperimentDetailOut.model_validate(experiment, context={"request": request})
    # Written as ninja writes every other answer (its encoder: dates, decimals).
    return json.dumps(detail.model_dump(by_alias=True), cls=NinjaJSONEncoder)


@router.post("", response={201: ExperimentDetailOut}, auth=token_auth, url_name="experiment_create")
def experiment_create(request: TokenRequest, payload: ExperimentIn) -> HttpStatus[Experiment]:
    """Start an experiment as an idea of an organisation you belong to, with what the form
    on the page takes."""
    data = _resolve_codes(payload.dict(), creating=True)
    owner = Organisation.objects.filter(
        slug=data.pop("owner"), memberships__user=request.auth
    ).first()
    if owner is None:
        raise ValidationError({"owner": _("Choose an organisation you are a member of.")})
    if not data["municipalities"]:
        data.pop("municipalities")
    experiment = services.experiment_create(by=request.auth, owner=owner, **data)
    return HttpStatus(201, experiment)


@router.patch(
    "/{id:experiment_id}",
    response=ExperimentDetailOut,
    auth=token_auth,
    url_name="experiment_update",
)
def experiment_update(
    request: TokenRequest, experiment_id: PathId, payload: ExperimentPatch
) -> Experiment:
    """Change an experiment's content; only the fields you send change."""
    experiment = _for_action(request, experiment_id, "change")
    data = _resolve_codes(payload.dict(exclude_unset=True), creating=False)
    publishing = data.get("visibility") not in (None, experiment.visibility)
    if publishing and not can(request.auth, "publish", experiment):
        raise PermissionDenied
    return services.experiment_update(experiment=experiment, by=request.auth, **data)


@router.post(
    "/{id:experiment_id}/transitions",
    response=ExperimentDetailOut,
    auth=token_auth,
    url_name="experiment_transition",
)
def experiment_transition(
    request: TokenRequest, experiment_id: PathId, payload: TransitionIn
) -> Experiment:
    """Move the experiment to another stage, e.g. `{"to": "running"}`."""
    experiment = _for_action(request, experiment_id, "transition")
    return services.experiment_transition(experiment=experiment, by=request.auth, **payload.dict())


@router.post(
    "/{id:experiment_id}/indicators/{id:indicator_id}/measurements",
    response={201: MeasurementOut},
    auth=token_auth,
    url_name="measurement_create",
)
def measurement_create(
    request: TokenRequest, experiment_id: PathId, indicator_id: PathId, payload: MeasurementIn
) -> HttpStatus[Measurement]:
    """Record a value of an indicator."""
    experiment = _for_action(request, experiment_id, "change")
    indicator = get_object_or_404(experiment.indicators, pk=indicator_id)
    measurement = services.measurement_add(indicator=indicator, by=request.auth, **payload.dict())
    return HttpStatus(201, measurement)


def _for_action(request: TokenRequest, experiment_id: int, action: str) -> Experiment:
    experiment = get_object_or_404(Experiment, pk=experiment_id)
    experiment = get_experiment_for_user_or_404(request.auth, experiment.slug)
    if not can(request.auth, action, experiment):
        raise PermissionDenied
    return experiment


@router.get(
    "/{id:experiment_id}/similar", response=list[ExperimentOut], url_name="experiment_similar"
)
def experiment_similar(request: HttpRequest, experiment_id: PathId) -> list[Experiment]:
    """Up to five similar experiments run elsewhere, most similar first (docs/similarity.md)."""
    user = viewer(request)
    experiment = get_object_or_404(Experiment, pk=experiment_id)
    experiment = get_experiment_for_user_or_404(user, experiment.slug)
    order = [e.pk for e in similar_experiments(experiment, experiments_list(user))]
    rows = _with_related(Experiment.objects.filter(pk__in=order))
    return sorted(rows, key=lambda e: order.index(e.pk))


class JournalEntryOut(Schema):
    id: int
    body: str = Field(description="Markdown source.")
    html: str = Field(description="The body rendered and sanitised, as stored when written.")
    video_url: str
    language: str
    created_at: datetime
    photos: list[str] = Field(description="Addresses of the photos.")

    @staticmethod
    def resolve_html(obj: JournalEntry) -> str:
        # Stored on write by the services (sanitised with nh3); never rendered per request.
        return obj.body_html

    @staticmethod
    def resolve_photos(obj: JournalEntry, context: dict[str, Any]) -> list[str]:
        request: HttpRequest = context["request"]
        return [
            request.build_absolute_uri(
                reverse("experiments:journal_file", args=[obj.experiment.slug, "photo", p.pk])
            )
            for p in obj.photos.all()
        ]


class JournalEntryIn(Schema):
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    video_url: str = Field("", max_length=200, pattern=r"^(https://\S+)?$")
    language: str = Field("fi", pattern="^(fi|sv|en)$")


@router.get("/{id:experiment_id}/journal", response=list[JournalEntryOut], url_name="journal_list")
@paginate
def journal_list(request: HttpRequest, experiment_id: PathId) -> QuerySet[JournalEntry]:
    """The experiment's journal, newest first; without the entries the moderators hid."""
    experiment = get_object_or_404(Experiment, pk=experiment_id)
    experiment = get_experiment_for_user_or_404(viewer(request), experiment.slug)
    return experiment.journal.visible().select_related("experiment").prefetch_related("photos")


@router.post(
    "/{id:experiment_id}/journal",
    response={201: JournalEntryOut},
    auth=token_auth,
    url_name="journal_create",
)
def journal_create(
    request: TokenRequest, experiment_id: PathId, payload: JournalEntryIn
) -> HttpStatus[JournalEntry]:
    """Post a journal entry (text and a video link; photos and attachments through the web
    page). A blocked account is answered 403, and one that posted its limit of entries for now
    429 (docs/moderation.md), each with a message that says why."""
    experiment = _for_action(request, experiment_id, "change")
    entry = services.journal_entry_create(experiment=experiment, by=request.auth, **payload.dict())
    return HttpStatus(201, entry)
