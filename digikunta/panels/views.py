"""Pages of citizens' panels: the panel and volunteering, running it (close, draw, invite,
replace), the published draw with its list and a way to re-run it, and the member's invitation.
"""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.accounts.requests import AuthenticatedRequest, HtmxRequest
from digikunta.core.exports import csv_response
from digikunta.core.forms import add_errors
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.ratelimit import limit_form_posts
from digikunta.panels import draw, selectors, services
from digikunta.panels.access import get_invitation_for_user_or_404, get_panel_for_user_or_404
from digikunta.panels.forms import AnswerForm, DrawForm, PanelForm, VerifyForm, VolunteerForm
from digikunta.panels.models import CitizensPanel, Volunteer
from digikunta.participation.access import get_process_for_user_or_404
from digikunta.participation.eligibility import eligibility_problem

DRAW_SOURCE = Path(draw.__file__)


def _detail_context(request: HtmxRequest, panel: CitizensPanel, form: Any = None) -> dict[str, Any]:
    own = selectors.own_volunteer(request.user, panel)
    may_register = panel.is_registration_open() and own is None
    return {
        "panel": panel,
        "process": panel.process,
        "own": own,
        "form": form or (VolunteerForm(panel=panel) if may_register else None),
        "may_register": may_register,
        "problem": eligibility_problem(request.user, panel.process) if may_register else None,
        "traits": panel.traits,
        "counts": selectors.volunteer_counts(panel) if panel.is_list_frozen() else None,
    }


@require_GET
def panel_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk)
    context = _detail_context(request, panel)
    return render_page_or_partial(request, "panels/panel_detail.html", "registration", context)


@login_required
@limit_form_posts
@require_POST
def panel_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk)
    form = VolunteerForm(request.POST, panel=panel)
    if form.is_valid():
        try:
            volunteer = services.volunteer_register(
                panel=panel, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("You are on the list of volunteers with the code %(code)s.")
                % {"code": volunteer.code},
            )
            return redirect(panel)
    context = _detail_context(request, panel, form)
    return render_page_or_partial(
        request, "panels/panel_detail.html", "registration", context, status=422
    )


@login_required
@limit_form_posts
@require_POST
def panel_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk)
    volunteer = selectors.own_volunteer(request.user, panel)
    if volunteer is None:
        raise Http404
    try:
        services.volunteer_withdraw(volunteer=volunteer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are no longer on the list of volunteers."))
    return redirect(panel)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def panel_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    form = PanelForm(request.POST or None)
    if form.is_valid():
        try:
            panel = services.panel_create(by=request.user, process=process, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The panel was saved as a draft."))
            return redirect("panels:panel_manage", pk=panel.pk)
    context = {"form": form, "process": process}
    return render_page_or_partial(request, "panels/panel_form.html", "form", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def panel_update(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk, action="change")
    form = PanelForm(request.POST or None, instance=panel)
    if form.is_valid():
        try:
            services.panel_update(panel=panel, **form.editable_data())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("panels:panel_manage", pk=panel.pk)
    context = {"form": form, "process": panel.process, "panel": panel}
    return render_page_or_partial(request, "panels/panel_form.html", "form", context)


def _manage_context(panel: CitizensPanel, draw_form: DrawForm | None = None) -> dict[str, Any]:
    return {
        "panel": panel,
        "process": panel.process,
        "counts": selectors.volunteer_counts(panel),
        "draw_form": draw_form or DrawForm(panel=panel),
        "people": selectors.seated_people(panel) if panel.is_drawn else [],
        "published": selectors.published_draw(panel),
        "now": timezone.now(),
    }


@login_required
@require_GET
def panel_manage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk, action="change")
    return render_page_or_partial(
        request, "panels/panel_manage.html", "manage", _manage_context(panel)
    )


def _act(request: HttpRequest, panel: CitizensPanel, done: str, action: Any) -> HttpResponse:
    """Run a manager's button (publish, close, invite, mark as not answered) and say how it
    went on the manager page."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("panels:panel_manage", pk=panel.pk)


@login_required
@limit_form_posts
@require_POST
def panel_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk, action="change")
    done = _("The panel is published: residents can volunteer.")
    return _act(request, panel, done, lambda: services.panel_publish(panel=panel))


@login_required
@limit_form_posts
@require_POST
def panel_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk, action="change")
    done = _("Registration is closed and the list of volunteers is published.")
    return _act(request, panel, done, lambda: services.panel_close(panel=panel))


@login_required
@limit_form_posts
@require_POST
def panel_draw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk, action="change")
    form = DrawForm(request.POST, panel=panel)
    if form.is_valid():
        try:
            drawn = services.panel_draw(panel=panel, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The panel was drawn with the seed %(seed)s. Check the draw, then invite.")
                % {"seed": drawn.seed},
            )
            return redirect("panels:draw_detail", pk=panel.pk)
    return render_page_or_partial(
        request, "panels/panel_manage.html", "manage", _manage_context(panel, form), status=422
    )


@login_required
@limit_form_posts
@require_POST
def panel_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk, action="change")
    try:
        count = services.invitations_send(panel=panel)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is on its way by e-mail.",
                "%(count)s invitations are on their way by e-mail.",
                count,
            )
            % {"count": count},
        )
    return redirect("panels:panel_manage", pk=panel.pk)


@login_required
@limit_form_posts
@require_POST
def member_no_answer(request: AuthenticatedRequest, pk: int, volunteer: int) -> HttpResponse:
    panel = get_panel_for_user_or_404(request.user, pk, action="change")
    row = get_object_or_404(Volunteer, panel=panel, pk=volunteer)
    done = _("%(code)s did not answer; the seat went to the next on the reserve list.") % {
        "code": row.code
    }
    return _act(request, panel, done, lambda: services.member_mark_no_answer(volunteer=row))


@require_GET
def draw_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    """The published draw: its seed, strata, quotas, members and replacements; before the draw,
    the published list and the seed plan."""
    panel = get_panel_for_user_or_404(request.user, pk)
    context: dict[str, Any] = {
        "panel": panel,
        "process": panel.process,
        "published": selectors.published_draw(panel),
        "counts": None,
    }
    if panel.is_list_frozen() and not panel.is_drawn:
        context["counts"] = selectors.volunteer_counts(panel)
    return render_page_or_partial(request, "panels/draw_detail.html", "draw", context)


@require_GET
def volunteers_csv(request: HtmxRequest, pk: int) -> HttpResponseBase:
    """The published list of volunteers, codes and traits, once registration has closed."""
    panel = get_panel_for_user_or_404(request.user, pk)
    if not panel.is_list_frozen():
        raise Http404
    rows = selectors.published_rows(panel)
    return csv_response(rows, selectors.published_fields(panel), f"panel-{panel.pk}-volunteers")


@require_GET
def draw_verify(request: HtmxRequest, pk: int) -> HttpResponse:
    """Re-run the draw on the published list with a seed and seats of one's own choosing."""
    panel = get_panel_for_user_or_404(request.user, pk)
    if not panel.is_list_frozen():
        raise Http404
    published = selectors.published_draw(panel)
    form = VerifyForm(request.GET or None, initial={"seats": panel.seats})
    result = None
    if form.is_valid():
        people = selectors.draw_volunteers(panel, panel.volunteers.all())
        result = draw.draw(form.cleaned_data["seed"], people, form.cleaned_data["seats"])
    context = {
        "panel": panel,
        "process": panel.process,
        "form": form,
        "result": result,
        "published": published,
        "same": bool(result and published and result.members == published.result.members),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render_page_or_partial(
        request, "panels/draw_verify.html", "result", context, status=status
    )


@require_GET
def draw_source(request: HttpRequest) -> HttpResponse:
    """draw.py itself, the file the site draws with: anyone can run it on the published list."""
    response = HttpResponse(DRAW_SOURCE.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="draw.py"'
    return response


@login_required
@require_GET
def invitation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    volunteer = get_invitation_for_user_or_404(request.user, pk)
    context = {"volunteer": volunteer, "panel": volunteer.panel, "form": AnswerForm()}
    return render_page_or_partial(request, "panels/invitation_detail.html", "answer", context)


@login_required
@limit_form_posts
@require_POST
def invitation_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    volunteer = get_invitation_for_user_or_404(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.invitation_answer(volunteer=volunteer, user=request.user, accept=accept)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if accept:
                messages.success(request, _("Welcome to the panel: you accepted your seat."))
            else:
                messages.success(
                    request, _("You declined; the seat goes to the next on the reserve list.")
                )
            return redirect("panels:invitation_detail", pk=volunteer.panel_id)
    context = {"volunteer": volunteer, "panel": volunteer.panel, "form": form}
    return render_page_or_partial(
        request, "panels/invitation_detail.html", "answer", context, status=422
    )
