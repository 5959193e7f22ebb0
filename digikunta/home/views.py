"""The front page, the month's experiment and the staff's status page: they read many apps,
so they live above them."""

import django
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from digikunta.core.fragments import shared_html
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.pagecache import REFERENCE, cache_public_page
from digikunta.core.pagination import paginate
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.core.tasks import failed_tasks, task_counts
from digikunta.experiments.pages import LISTING as EXPERIMENTS
from digikunta.experiments.similarity import embedding_progress
from digikunta.funding.pages import LISTING as CALLS
from digikunta.home import selectors, services
from digikunta.home.forms import ExperimentOfTheMonthForm
from digikunta.home.models import ExperimentOfTheMonth
from digikunta.home.pages import MONTHS
from digikunta.organisations.pages import NAMES as ORGANISATION_NAMES
from digikunta.search import analysis
from digikunta.search.selectors import entry_count

HOME = "home/home.html"
# The front page shows experiments, open calls, the month's experiment and the names of
# organisations and places (ADR 0012); it is the same for everyone, signed in or not.
FRONT_PAGE_SHOWS = (EXPERIMENTS, CALLS, MONTHS, REFERENCE, ORGANISATION_NAMES)


def _work_html(request: HttpRequest) -> str:
    context = {"page": selectors.front_page(), "LANGUAGE_CODE": get_language()}
    return render_to_string(f"{HOME}#work", context)


@require_GET
@cache_public_page(*FRONT_PAGE_SHOWS)
def home(request: HttpRequest) -> HttpResponse:
    """The programme's work: a search box into the case bank, the month's experiment, the
    latest published experiments and results, and the open funding calls. A signed-in
    person gets the same parts from the fragment cache (ADR 0013)."""
    work = shared_html("home:work", FRONT_PAGE_SHOWS, lambda: _work_html(request))
    return render(request, HOME, {"work": work})


@require_GET
@cache_public_page(MONTHS, EXPERIMENTS, ORGANISATION_NAMES, REFERENCE)
def month_archive(request: HttpRequest) -> HttpResponse:
    """Every month's experiment so far, with the coordinators' citations."""
    page = paginate(request, selectors.months_shown(), per_page=24)
    context = {"page": page, "can_choose": can(request.user, "choose", ExperimentOfTheMonth)}
    return render(request, "home/month_archive.html", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def month_choose(request: HttpRequest) -> HttpResponse:
    """A coordinator chooses the month's experiment and writes the citation."""
    if not can(request.user, "choose", ExperimentOfTheMonth):
        raise PermissionDenied
    initial = {
        "month": timezone.localdate().replace(day=1),
        "experiment": request.GET.get("experiment", "")[:300],
    }
    form = ExperimentOfTheMonthForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            honour = services.experiment_of_the_month_choose(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is the experiment of the month, %(month)s.")
                % {
                    "title": honour.experiment.title,
                    "month": date_format(honour.month, "YEAR_MONTH_FORMAT"),
                },
            )
            return redirect("home:month_choose")
    context = {
        "form": form,
        "candidates": selectors.latest_results(limit=10),
        "chosen": selectors.months_chosen(),
    }
    return render_page_or_partial(request, "home/month_choose.html", "form", context)


@staff_member_required
def system_status(request: HttpRequest) -> HttpResponse:
    """For administrators: which search engine serves Finnish, database, versions, counts, how
    many experiments have their embedding (an import's are made in the background), and the
    background tasks: how many wait or run, and the latest that failed with their error."""
    embeddings = embedding_progress()
    context = {
        "search": analysis.status(),
        "database": connection.vendor,
        "django_version": django.get_version(),
        "experiments": embeddings["experiments"],
        "embeddings": embeddings,
        "search_entries": entry_count(),
        "tasks": task_counts(),
        "failed_tasks": failed_tasks(),
    }
    return render(request, "home/system_status.html", context)
