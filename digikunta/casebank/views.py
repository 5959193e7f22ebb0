from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from digikunta.casebank.forms import CaseBankFilterForm
from digikunta.casebank.selectors import (
    RESULT_POINTS,
    REUSE_POINTS,
    Listing,
    casebank_experiments,
    casebank_listing,
    top_experiments,
)
from digikunta.core.exports import table_response
from digikunta.core.fragments import shared_html, shared_rows
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.links import absolute_url
from digikunta.core.pagecache import REFERENCE, cache_public_page
from digikunta.core.pagination import paginate
from digikunta.experiments.models import Experiment
from digikunta.experiments.pages import LISTING, RANKING
from digikunta.organisations.pages import NAMES as ORGANISATION_NAMES
from digikunta.search.analysis import highlight

CARD = "casebank/includes/card.html"
FACET_SUMMARY = "casebank/includes/facet_summary.html"
# Codes for machines, and beside them the names in the reader's language (issue 10).
EXPORT_FIELDS = [
    "id",
    "slug",
    "title",
    "summary",
    "status",
    "status_label",
    "outcome",
    "outcome_label",
    "owner",
    "owner_name",
    "municipalities",
    "municipality_names",
    "themes",
    "theme_names",
    "language",
    "starts_on",
    "ends_on",
    "results",
    "lessons",
    "url",
]


def _filters(request: HttpRequest) -> tuple[CaseBankFilterForm, dict]:
    form = CaseBankFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


def _cards(listing: Listing, rows: list[Experiment], query: str) -> list[str]:
    """Each experiment's card (its list item) in a listing, rendered once per language and
    query (ADR 0013).

    Every save of an experiment moves its updated_at, which the card varies on: a listing of
    20 needs no version per card (only the owners' names have one). The rows of the cards not
    stored are read in one query."""

    def render(missing: list[Experiment]) -> list[str]:
        cards = []
        for experiment in listing.complete(missing):
            if experiment is None:  # deleted since the listing read it
                cards.append("")
                continue
            text = " ".join(
                part
                for part in (experiment.summary, experiment.results, experiment.lessons)
                if part
            )
            snippet = highlight(text, query, experiment.language) if query else None
            context = {"experiment": experiment, "snippet": snippet}
            cards.append(render_to_string(CARD, context))
        return cards

    return shared_rows(
        "casebank:card",
        [ORGANISATION_NAMES],
        rows,
        vary=lambda experiment: [experiment.pk, experiment.updated_at.isoformat(), query],
        render=render,
    )


def _facet_summary(form: CaseBankFilterForm, facets: dict) -> str:
    """The badges of the stages and outcomes with their counts: the same for everyone whose
    listing has the same counts, rendered once per language and counts (ADR 0013)."""
    counts = [sorted(facets.get(name, {}).items()) for name in ("status", "outcome")]
    return shared_html(
        "casebank:facet-summary",
        [],
        lambda: render_to_string(FACET_SUMMARY, {"form": form, "facets": facets}),
        vary=counts,
    )


def _form_html(request: HttpRequest, form: CaseBankFilterForm) -> str:
    """The filters as the person set them: rendered once per language and set of values (the
    municipality list alone is 300 options), or afresh when they carry errors (ADR 0013)."""
    if form.is_bound and form.errors:
        return form.render()
    values = sorted(
        (name, request.GET.getlist(name)) for name in form.fields if name in request.GET
    )
    return shared_html("casebank:filters", [REFERENCE], form.render, vary=[values])


@require_GET
@cache_public_page(LISTING, REFERENCE, ORGANISATION_NAMES)
def casebank(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    experiments = casebank_listing(request.user, filters, per_page=20)
    page = paginate(request, experiments, per_page=20)
    query = filters.get("q", "")
    cards = _cards(experiments, list(page.object_list), query)
    context = {
        "cards": cards,
        "cards_html": SafeString("".join(cards)),  # each card is safe HTML: one value to render
        "form": form,
        "form_html": _form_html(request, form),
        "page": page,
        "results_title": ngettext(
            "%(counter)s experiment", "%(counter)s experiments", page.paginator.count
        )
        % {"counter": localize(page.paginator.count)},
        "query": query,
        "facets": experiments.facets,
        "facet_summary": _facet_summary(form, experiments.facets),
        "export_query": request.GET.urlencode(),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render_page_or_partial(
        request, "casebank/casebank.html", "results", context, status=status
    )


@require_GET
@cache_public_page(LISTING, RANKING, REFERENCE, ORGANISATION_NAMES)
def top10(request: HttpRequest) -> HttpResponse:
    context = {
        "experiments": top_experiments(request.user),
        "reuse_points": REUSE_POINTS,
        "result_points": RESULT_POINTS,
    }
    return render_page_or_partial(request, "casebank/top10.html", "list", context)


def _rows(filters: dict, request: HttpRequest) -> Iterator[dict]:
    """The public rows of an export, streamed after the view returns (so the links take the
    request explicitly)."""
    experiments = (
        casebank_experiments(None, filters)  # exports hold public experiments only
        .prefetch_related("municipalities", "themes")
        .select_related("owner__municipality", "owner__region")
    )
    for experiment in experiments.iterator(chunk_size=500):
        municipalities = list(experiment.municipalities.all())
        themes = list(experiment.themes.all())
        yield {
            "id": experiment.pk,
            "slug": experiment.slug,
            "title": experiment.title,
            "summary": experiment.summary,
            "status": experiment.status,
            "status_label": str(experiment.get_status_display()),
            "outcome": experiment.outcome,
            "outcome_label": str(experiment.get_outcome_display()) if experiment.outcome else "",
            "owner": experiment.owner.slug,
            "owner_name": experiment.owner.display_name,
            "municipalities": [m.code for m in municipalities],
            "municipality_names": [m.name for m in municipalities],
            "themes": [t.slug for t in themes],
            "theme_names": [t.name for t in themes],
            "language": experiment.language,
            "starts_on": experiment.starts_on,
            "ends_on": experiment.ends_on,
            "results": experiment.results,
            "lessons": experiment.lessons,
            "url": absolute_url(experiment.get_absolute_url(), request),
        }


def _export_filters(request: HttpRequest) -> dict | None:
    form, filters = _filters(request)
    return None if form.is_bound and form.errors else filters


def _bad_filters(request: HttpRequest) -> HttpResponse:
    form, _filters_ = _filters(request)
    message = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The public case bank with the page's filters, as CSV, Excel or JSON."""
    filters = _export_filters(request)
    if filters is None:
        return _bad_filters(request)
    response = table_response(
        fmt, _rows(filters, request), EXPORT_FIELDS, "digikunta-casebank", sheet=_("Case bank")
    )
    if response is None:
        raise Http404
    return response
