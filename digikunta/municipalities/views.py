from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from digikunta.accounts.pages import PEOPLE
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.pagecache import REFERENCE, cache_public_page
from digikunta.core.pagination import paginate
from digikunta.experiments.models import Follow
from digikunta.experiments.pages import LISTING as EXPERIMENTS
from digikunta.experiments.selectors import by_stage, experiments_visible_to
from digikunta.municipalities.forms import MunicipalityFilterForm
from digikunta.municipalities.models import Municipality
from digikunta.municipalities.pages import LISTING, municipality_key
from digikunta.municipalities.selectors import municipalities_list
from digikunta.organisations.models import Organisation
from digikunta.organisations.pages import NAMES as ORGANISATION_NAMES
from digikunta.organisations.selectors import contacts, involved_in
from digikunta.participation.selectors import latest_ideas_in, open_processes_in


@require_GET
@cache_public_page(LISTING, REFERENCE)
def municipality_list(request: HttpRequest) -> HttpResponse:
    form = MunicipalityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    municipalities = municipalities_list(
        query=filters.get("q", ""),
        region=filters.get("region", ""),
        language_status=filters.get("language_status", ""),
    )
    page = paginate(request, municipalities, per_page=50)
    context = {"form": form, "page": page}
    status = 400 if form.is_bound and form.errors else 200
    return render_page_or_partial(
        request, "municipalities/municipality_list.html", "results", context, status=status
    )


@require_GET
@cache_public_page(
    REFERENCE,
    EXPERIMENTS,
    ORGANISATION_NAMES,
    PEOPLE,
    per_object=lambda code: [municipality_key(code)],
)
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.select_related("region", "organisation"), code=code
    )
    organisation = getattr(municipality, "organisation", None)
    user = request.user
    experiments = experiments_visible_to(user).filter(municipalities=municipality)
    own = Organisation.objects.filter(
        Q(municipality=municipality) | Q(home_municipality=municipality)
    )
    context = {
        "municipality": municipality,
        "organisation": organisation,
        "is_following": user.is_authenticated
        and Follow.objects.filter(user=user, municipality=municipality).exists(),
        "work": by_stage(experiments),
        "involved": involved_in(experiments, also=own),
        "contacts": contacts(own),
        "casebank_query": f"municipality={municipality.code}",
        "show_owner": True,
        "processes": open_processes_in(municipality),
        "latest_ideas": latest_ideas_in(municipality),
    }
    return render_page_or_partial(
        request, "municipalities/municipality_detail.html", "main", context
    )
