"""Pages of participatory budgeting: the projects, the ballot with its review step and receipt,
"is my ballot counted?", the results as tables and open data, and the managers' pages.

The ballot's forms carry no ``{% submission_token %}`` and its views are ``keeps_no_receipt``: a
form's receipt (core/repeats.py) keeps a digest of the posted fields beside the person for a
day, and the few subsets of a ballot's projects could be tried against it (docs/decisions/0021).
Casting twice is harmless anyway: the second cast rewrites the same row with the same choices.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.accounts.requests import AuthenticatedRequest
from digikunta.budgeting import exports, selectors, services, voting
from digikunta.budgeting.access import (
    get_area_for_user_or_404,
    get_process_for_user_or_404,
    get_project_for_user_or_404,
)
from digikunta.budgeting.forms import AreaForm, BallotForm, ProjectForm, ReceiptForm
from digikunta.budgeting.models import BudgetArea, Project
from digikunta.core.exports import table_response
from digikunta.core.forms import add_errors
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.core.repeats import keeps_no_receipt
from digikunta.participation.lifecycle import Action
from digikunta.participation.models import Process
from digikunta.participation.services import check_can

# The receipt code of a ballot just cast, kept in the session only until the receipt page
# shows it (once; only its digest is stored with the ballot).
RECEIPT_KEY = "budgeting_receipt"


@require_GET
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    """The areas, their budgets and the projects on the ballot, for everyone."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    context = {
        "process": process,
        "areas": selectors.areas_of(process),
        "state": selectors.voting_state(process),
        "ballot": selectors.own_ballot(request.user, process),
        "can_manage": can(request.user, "change", process),
    }
    return render(request, "budgeting/budget.html", context)


def _see_other(location: str) -> HttpResponseRedirect:
    """303 after a cast: the browser goes to the receipt with a GET, and a reload there does
    not post the ballot again."""
    response = HttpResponseRedirect(location)
    response.status_code = 303
    return response


def _refused(request: HttpRequest, process: Process, error: ValidationError) -> HttpResponse:
    """The ballot page saying why the person cannot vote (403): closed, not eligible…"""
    context = {"process": process, "problem": " ".join(error.messages)}
    return render(request, "budgeting/ballot_refused.html", context, status=403)


def _ballot_page(
    request: HttpRequest,
    process: Process,
    areas: list[BudgetArea],
    area: BudgetArea,
    form: BallotForm,
    *,
    status: int = 200,
) -> HttpResponse:
    on_ballot = selectors.ballot_projects(area)
    chosen: list[int] = []
    if form.is_bound:
        raw = form.data.getlist("projects") if hasattr(form.data, "getlist") else []
        chosen = [int(v) for v in raw if v.isdigit() and int(v) in on_ballot]
    else:
        chosen = [pk for pk in form.initial.get("projects", []) if pk in on_ballot]
    tally = voting.tally([on_ballot[pk] for pk in dict.fromkeys(chosen)], area.budget)
    context = {
        "process": process,
        "state": selectors.voting_state(process),
        "area": area,
        "areas": areas,
        "projects": list(on_ballot.values()),
        "chosen": set(chosen),
        "tally": tally,
        "form": form,
        "ballot": selectors.own_ballot(request.user, process),
        "messages_for_script": _script_messages(area),
    }
    return render(request, "budgeting/ballot.html", context, status=status)


def _script_messages(area: BudgetArea) -> dict[str, str]:
    """The summary sentences for budget.js, with {count}, {total}, {remaining} and {over} for
    it to fill in: the same sentences as the server's, so both say the same thing."""
    marks = {"count": "{count}", "total": "{total}", "remaining": "{remaining}"}
    marks |= {"over": "{over}", "budget": voting.euros(area.budget)}
    texts = {}
    for name, count in (("none", 0), ("one", 1), ("many", 2)):
        texts[name] = voting.Tally(count, Decimal(0), area.budget).summary_template(marks)
    for name, count in (("over_one", 1), ("over_many", 2)):
        texts[name] = voting.Tally(count, area.budget + 1, area.budget).summary_template(marks)
    return texts


def _voter_areas(request: AuthenticatedRequest, process: Process) -> list[BudgetArea]:
    check_can(request.user, process, Action.VOTE)
    areas = services.ballot_areas(request.user, process)
    if not areas:
        raise ValidationError(_("This vote has no area for your municipality."))
    return areas


@keeps_no_receipt
@login_required
@require_http_methods(["GET", "POST"])
def ballot(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The ballot: the area's projects with their costs, what remains of the budget, and a
    button to review. A POST comes back from the review step with the choices to change."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    try:
        areas = _voter_areas(request, process)
    except ValidationError as error:
        return _refused(request, process, error)
    current = selectors.own_ballot(request.user, process)
    wanted = (request.POST if request.method == "POST" else request.GET).get("area", "")
    area = next((a for a in areas if str(a.pk) == wanted), None)
    if area is None and current is not None and wanted != "choose":
        area = next((a for a in areas if a.pk == current.area_id), None)
    if area is None and len(areas) == 1:
        area = areas[0]
    if area is None:
        context = {"process": process, "areas": areas}
        return render(request, "budgeting/ballot_area.html", context)
    if request.method == "POST":
        form = BallotForm(request.POST, areas=[area])
        form.is_valid()
    else:
        initial = current.choices if current is not None and current.area_id == area.pk else []
        form = BallotForm(areas=[area], initial={"area": area.pk, "projects": initial})
    return _ballot_page(request, process, areas, area, form)


def _checked(
    request: AuthenticatedRequest, process: Process, *, cast: bool
) -> tuple[HttpResponse | None, services.Choice | services.Cast | None]:
    """The review step and the cast share this: bind, check through the service, or answer the
    ballot page again with what was chosen and the message (422), or 403 when voting is
    closed or the person may not vote."""
    try:
        areas = _voter_areas(request, process)
    except ValidationError as error:
        return _refused(request, process, error), None
    form = BallotForm(request.POST, areas=areas)
    if form.is_valid():
        arguments: dict[str, Any] = {
            "voter": request.user,
            "process": process,
            "project_ids": form.cleaned_data["projects"],
            "area_id": form.cleaned_data["area"],
        }
        try:
            result = (
                services.ballot_cast(**arguments) if cast else services.ballot_check(**arguments)
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "not_allowed":
                return _refused(request, process, error), None
            add_errors(form, error)
        else:
            return None, result
    wanted = str(form.cleaned_data.get("area") or request.POST.get("area", ""))
    area = next((a for a in areas if str(a.pk) == wanted), areas[0])
    return _ballot_page(request, process, areas, area, form, status=422), None


@keeps_no_receipt
@login_required
@require_POST
def ballot_review(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """ "You chose 3 projects for 18 500 €; 1 500 € remains": cast, or go back and change."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    refused, choice = _checked(request, process, cast=False)
    if refused is not None:
        return refused
    context = {
        "process": process,
        "choice": choice,
        "ballot": selectors.own_ballot(request.user, process),
        "state": selectors.voting_state(process),
    }
    return render(request, "budgeting/ballot_review.html", context)


@keeps_no_receipt
@login_required
@limit_form_posts
@require_POST
def ballot_cast(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug)
    refused, cast = _checked(request, process, cast=True)
    if refused is not None:
        return refused
    assert isinstance(cast, services.Cast)
    if cast.receipt_code is not None:
        request.session[RECEIPT_KEY] = {"process": process.pk, "code": cast.receipt_code}
        messages.success(request, _("Your ballot was cast."))
    else:
        messages.success(request, _("Your ballot was changed; your receipt code stays the same."))
    return _see_other(reverse("budgeting:receipt", args=[process.slug]))


@login_required
@require_GET
def receipt(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The person's own ballot: counted since when, their choices (only they see them), and the
    receipt code when it was just issued."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    own = selectors.own_ballot(request.user, process)
    if own is None:
        return redirect("budgeting:ballot", process.slug)
    fresh = request.session.get(RECEIPT_KEY)
    code = None
    if isinstance(fresh, dict) and fresh.get("process") == process.pk:
        code = fresh.get("code")
        del request.session[RECEIPT_KEY]
    on_ballot = selectors.ballot_projects(own.area)
    chosen = [on_ballot[pk] for pk in own.choices if pk in on_ballot]
    context = {
        "process": process,
        "ballot": own,
        "code": code,
        "chosen": chosen,
        "tally": voting.tally(chosen, own.area.budget),
        "state": selectors.voting_state(process),
    }
    response = render(request, "budgeting/receipt.html", context)
    response["Cache-Control"] = "no-store"  # the code and the choices stay out of caches
    return response


@login_required
@limit_form_posts
@require_POST
def receipt_renew(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug)
    try:
        code = services.ballot_receipt_renew(voter=request.user, process=process)
    except ValidationError:
        return redirect("budgeting:ballot", process.slug)
    request.session[RECEIPT_KEY] = {"process": process.pk, "code": code}
    messages.success(request, _("You have a new receipt code; the old one no longer works."))
    return _see_other(reverse("budgeting:receipt", args=[process.slug]))


@keeps_no_receipt
@limit_form_posts
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone with a receipt code sees that its ballot is counted, and when it was cast and
    changed: never whose it is or what it holds. Posted, so the code stays out of addresses."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    form = ReceiptForm(request.POST or None)
    found = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            found = selectors.ballot_by_receipt(form.cleaned_data["code"], process)
            status = 200 if found is not None else 404
        else:
            status = 422
    context = {
        "process": process,
        "form": form,
        "found": found,
        "state": selectors.voting_state(process),
    }
    response = render(request, "budgeting/check.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """The projects ranked by votes per area, with the funded line, and turnout: public once
    voting has closed, for everyone alike (managers see no early figures)."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    state = selectors.voting_state(process)
    context: dict[str, Any] = {"process": process, "state": state}
    if state.has_closed:
        counted = selectors.counts(process, state)
        found = selectors.results(process, counted)
        context["results"] = found
        context["turnout"] = selectors.turnout(process, [r.area for r in found], counted)
    return render(request, "budgeting/results.html", context)


@require_GET
def results_export(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponseBase:
    """The results or the turnout as open data: CSV, Excel or JSON (core/exports.py)."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    if not selectors.voting_state(process).has_closed or table not in exports.TABLES:
        raise Http404
    rows, fields = exports.TABLES[table](process)
    response = table_response(
        fmt, rows, fields, f"{process.slug}-{table}", sheet=exports.sheet_name(table)
    )
    if response is None:
        raise Http404
    return response


# --- Managers: areas, budgets, projects -----------------------------------------------------


@login_required
@require_GET
def manage(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    context = {
        "process": process,
        "areas": selectors.areas_of(process, all_projects=True),
        "ideas": selectors.ideas_of(process)[:100],
        "state": selectors.voting_state(process),
    }
    return render(request, "budgeting/manage.html", context)


def _manage_url(process: Process) -> str:
    return reverse("budgeting:manage", args=[process.slug])


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def area_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    area = get_area_for_user_or_404(request.user, process, pk, "change") if pk else None
    form = AreaForm(request.POST or None, instance=area, process=process)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.area_save(process=process, area=area, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The area was saved."))
            return redirect(_manage_url(process))
    status = 422 if form.is_bound else 200
    context = {"process": process, "area": area, "form": form}
    return render(request, "budgeting/area_form.html", context, status=status)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    project = get_project_for_user_or_404(request.user, process, pk, "change") if pk else None
    initial = {}
    if project is None and request.method == "GET":
        initial = selectors.project_initial(process, request.GET.get("idea", ""))
    form = ProjectForm(request.POST or None, instance=project, initial=initial, process=process)
    if form.is_valid():
        try:
            services.project_save(process=process, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(_manage_url(process))
    status = 422 if form.is_bound else 200
    context = {"process": process, "project": project, "form": form}
    return render(request, "budgeting/project_form.html", context, status=status)


def _manager_post(request: AuthenticatedRequest, process: Process, action: Any) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        context = {
            "process": process,
            "areas": selectors.areas_of(process, all_projects=True),
            "ideas": selectors.ideas_of(process)[:100],
            "state": selectors.voting_state(process),
        }
        return render(request, "budgeting/manage.html", context, status=422)
    return redirect(_manage_url(process))


@login_required
@limit_form_posts
@require_POST
def project_check(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The municipality has checked the cost: the project goes on the ballot."""
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    project: Project = get_project_for_user_or_404(request.user, process, pk, "change")

    def check_cost() -> None:
        services.project_check_cost(project=project, by=request.user)
        messages.success(request, _("The cost is checked; the project is on the ballot."))

    return _manager_post(request, process, check_cost)


@login_required
@limit_form_posts
@require_POST
def project_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    project = get_project_for_user_or_404(request.user, process, pk, "change")

    def delete() -> None:
        services.project_delete(project=project)
        messages.success(request, _("The project was removed."))

    return _manager_post(request, process, delete)


@login_required
@limit_form_posts
@require_POST
def area_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    area = get_area_for_user_or_404(request.user, process, pk, "change")

    def delete() -> None:
        services.area_delete(area=area)
        messages.success(request, _("The area and its projects were removed."))

    return _manager_post(request, process, delete)
