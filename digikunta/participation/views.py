"""Pages of resident participation: processes, declarations, ideas, answers and support."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.accounts.requests import AuthenticatedRequest
from digikunta.core.forms import add_errors
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.pagecache import REFERENCE, cache_public_page
from digikunta.core.pagination import paginate
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.experiments.pages import LISTING as EXPERIMENTS
from digikunta.organisations.pages import NAMES as ORGANISATION_NAMES
from digikunta.participation import eligibility, lifecycle, sections, selectors, services
from digikunta.participation.access import get_idea_for_user_or_404, get_process_for_user_or_404
from digikunta.participation.forms import (
    AnswerForm,
    DeclarationForm,
    ExperimentLinkForm,
    IdeaFilterForm,
    IdeaForm,
    IdeaSearchForm,
    PhaseFormSet,
    ProcessForm,
    ProfileForm,
    phase_rows,
)
from digikunta.participation.lifecycle import Action
from digikunta.participation.models import Idea, Process, ResidentProfile
from digikunta.participation.pages import LISTING, idea_key, process_key
from digikunta.participation.rules import organisers_for

# --- Processes ------------------------------------------------------------------------------


@require_GET
@cache_public_page(LISTING, ORGANISATION_NAMES)
def process_list(request: HttpRequest) -> HttpResponse:
    context = {
        "cards": selectors.process_cards(selectors.processes_for(request.user)),
        "can_add": can(request.user, "add", Process),
    }
    return render(request, "participation/process_list.html", context)


@require_GET
@cache_public_page(REFERENCE, ORGANISATION_NAMES, per_object=lambda slug: [process_key(slug)])
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug)
    filters = IdeaFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    ideas = selectors.ideas_of(
        process,
        query=data.get("q") or "",
        theme=data.get("theme"),
        answer=data.get("answer") or "",
        order=data.get("order") or "new",
    )
    unfiltered = not any(data.get(name) for name in ("q", "theme", "answer"))
    count = process.idea_count if unfiltered else None  # kept by the services: no COUNT
    page = paginate(request, ideas, per_page=20, count=count)
    phases = process.phase_list
    viewer = selectors.viewer(request.user, process)
    context = {
        "process": process,
        "phases": phases,
        "current_phase": lifecycle.current_phase(phases, timezone.localdate()),
        "what_you_can_do": lifecycle.WHAT_YOU_CAN_DO,
        "who": eligibility.who_may_take_part(process),
        "area": process.area,
        "viewer": viewer,
        "may_post": Action.POST_IDEA in viewer.allowed,
        "may_support": Action.SUPPORT in viewer.allowed and viewer.standing is not None,
        "may_manage": can(request.user, "change", process),
        "waiting": selectors.waiting_for_answers(process),
        "filters": filters,
        "page": page,
        "supported": selectors.supported_ids(request.user, list(page.object_list)),
        "sections": sections.sections(process, request.user),
    }
    return render_page_or_partial(request, "participation/process_detail.html", "ideas", context)


def _process_form(request: AuthenticatedRequest, process: Process | None) -> HttpResponse:
    organisers = organisers_for(request.user)
    if process is not None:
        initial = {
            "organiser": process.organiser,
            "municipalities": list(process.municipalities.all()),
            "title": process.title,
            "title_sv": process.title_sv,
            "description": process.description,
            "description_sv": process.description_sv,
            "eligible_bases": process.eligible_bases,
        }
        existing = {phase.kind: phase for phase in process.phases.all()}
    else:
        initial, existing = {}, {}
    phase_initial = [
        {
            "kind": kind,
            "starts_on": getattr(existing.get(kind), "starts_on", None),
            "ends_on": getattr(existing.get(kind), "ends_on", None),
            "description": getattr(existing.get(kind), "description", ""),
            "description_sv": getattr(existing.get(kind), "description_sv", ""),
        }
        for kind in lifecycle.ORDER
    ]
    data = request.POST or None
    form = ProcessForm(data, initial=initial, organisers=organisers)
    phases = PhaseFormSet(data, prefix="phases", initial=phase_initial)
    if data is not None and form.is_valid() and phases.is_valid():
        fields = dict(form.cleaned_data)
        try:
            rows = phase_rows(phases)
            if not rows:
                raise ValidationError(_("Give the dates of at least one phase."))
            with transaction.atomic():
                if process is None:
                    saved = services.process_create(by=request.user, **fields)
                else:
                    fields.pop("organiser")
                    saved = services.process_update(process=process, **fields)
                services.phases_set(process=saved, phases=rows)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The process was saved."))
            return redirect(saved)
    status = 422 if data is not None else 200
    context = {"form": form, "phases": phases, "process": process}
    return render(request, "participation/process_form.html", context, status=status)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def process_create(request: AuthenticatedRequest) -> HttpResponse:
    if not can(request.user, "add", Process):
        raise PermissionDenied
    return _process_form(request, None)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def process_update(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="change")
    return _process_form(request, process)


@login_required
@limit_form_posts
@require_POST
def process_publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug, action="publish")
    try:
        services.process_publish(process=process)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(process)
    messages.success(request, _("The process is published: everyone can see it."))
    return redirect(process)


@require_GET
def idea_search(request: HttpRequest) -> HttpResponse:
    """Ideas of every process one may see, by words (Finnish and Swedish forms match, as in
    the case bank), municipality, theme and answer."""
    filters = IdeaSearchForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    ideas = selectors.ideas_matching(
        request.user,
        query=data.get("q") or "",
        municipality=data.get("municipality"),
        theme=data.get("theme"),
        answer=data.get("answer") or "",
    )
    page = paginate(request, ideas, per_page=20)
    context = {"filters": filters, "page": page, "searched": filters.is_bound}
    return render_page_or_partial(request, "participation/idea_search.html", "results", context)


# --- Taking part ----------------------------------------------------------------------------


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def declare(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """ "I declare that I live in Kuopio": once per process, offered from the profile."""
    process = get_process_for_user_or_404(request.user, slug=slug)
    offered = eligibility.offered(request.user, process)
    initial = {"basis": offered[0][0], "municipality": offered[0][1]} if offered else {}
    form = DeclarationForm(request.POST or None, process=process, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare(
                user=request.user,
                process=process,
                basis=form.cleaned_data["basis"],
                municipality=form.cleaned_data["municipality"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: you can now take part in the process."))
            return redirect(process)
    context = {
        "process": process,
        "form": form,
        "who": eligibility.who_may_take_part(process),
        "statements": {
            basis: eligibility.statement(basis, None).split(" ", 1)[0] for basis, _m in offered
        },
        "standing": eligibility.standing(request.user, process),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "participation/declare.html", context, status=status)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """Where the person lives and spends their summers: offered first when they declare."""
    stored = ResidentProfile.objects.filter(user=request.user).first()
    initial = (
        {
            "home_municipality": stored.home_municipality,
            "summer_municipalities": list(stored.summer_municipalities.all()),
        }
        if stored
        else {}
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect("participation:profile")
    status = 422 if request.method == "POST" else 200
    return render(request, "participation/profile.html", {"form": form}, status=status)


# --- Ideas ----------------------------------------------------------------------------------


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def idea_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug)
    problem = lifecycle.action_problem(
        process.phase_list, Action.POST_IDEA, timezone.localdate(), published=process.is_published
    )
    if problem is None and eligibility.standing(request.user, process) is None:
        messages.info(request, _("First declare how you take part in the process."))
        return redirect("participation:declare", slug=process.slug)
    initial = {"language": (get_language() or "fi")[:2]}
    form = IdeaForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and problem is None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            idea = services.idea_create(by=request.user, process=process, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your idea is published. You will be told of its answer."))
            return redirect(idea)
    status = 422 if request.method == "POST" else (403 if problem else 200)
    context = {"process": process, "form": form, "problem": problem}
    return render(request, "participation/idea_form.html", context, status=status)


@require_GET
@cache_public_page(REFERENCE, EXPERIMENTS, per_object=lambda pk: [idea_key(pk)])
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_user_or_404(request.user, pk)
    process = idea.process
    viewer = selectors.viewer(request.user, process)
    context = {
        "idea": idea,
        "process": process,
        **selectors.idea_page(idea, request.user),
        "viewer": viewer,
        "may_support": Action.SUPPORT in viewer.allowed,
        "may_change": can(request.user, "change", idea),
        "may_answer": can(request.user, "answer", idea),
    }
    return render(request, "participation/idea_detail.html", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def idea_update(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_user_or_404(request.user, pk, action="change")
    initial = {
        name: getattr(idea, name)
        for name in ("title", "body", "theme", "address", "latitude", "longitude", "language")
    }
    form = IdeaForm(request.POST or None, initial=initial, with_photo=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(idea=idea, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(idea)
    status = 422 if request.method == "POST" else 200
    context = {"process": idea.process, "form": form, "idea": idea}
    return render(request, "participation/idea_form.html", context, status=status)


@login_required
@limit_form_posts
@require_POST
def idea_support(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Support or withdraw (``withdraw=1``); the same press twice counts once."""
    idea = get_idea_for_user_or_404(request.user, pk)
    try:
        if request.POST.get("withdraw"):
            services.support_remove(user=request.user, idea=idea)
            messages.success(request, _("Your support was withdrawn."))
        else:
            services.support_add(user=request.user, idea=idea)
            messages.success(request, _("Thank you for your support."))
    except ValidationError as error:
        return _refused(request, idea, error)
    return redirect(request.POST.get("next") or idea.get_absolute_url())


def _refused(request: HttpRequest, idea: Idea, error: ValidationError) -> HttpResponse:
    context = {"idea": idea, "messages_list": error.messages}
    return render(request, "participation/refused.html", context, status=403)


@login_required
@limit_form_posts
@require_POST
def idea_follow(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_user_or_404(request.user, pk)
    follow = not request.POST.get("unfollow")
    services.idea_follow(user=request.user, idea=idea, follow=follow)
    messages.success(
        request,
        _("You follow the idea.") if follow else _("You no longer follow the idea."),
    )
    return redirect(idea)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def idea_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The official answer, by a named office; the author, supporters and followers are told."""
    idea = get_idea_for_user_or_404(request.user, pk, action="answer")
    answer = getattr(idea, "answer", None)
    initial = (
        {"status": answer.status, "reasoning": answer.reasoning, "office": answer.office}
        if answer
        else {"office": idea.process.organiser.display_name}
    )
    form = AnswerForm(request.POST or None, initial=initial)
    link = ExperimentLinkForm(
        request.POST or None,
        initial={"experiment": idea.experiment},
        experiments=selectors.linkable_experiments(idea.process),
        prefix="link",
    )
    if request.method == "POST" and form.is_valid() and link.is_valid():
        try:
            with transaction.atomic():
                services.answer_set(idea=idea, by=request.user, **form.cleaned_data)
                if link.cleaned_data["experiment"] != idea.experiment:
                    services.idea_link_experiment(
                        idea=idea, experiment=link.cleaned_data["experiment"]
                    )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The answer is published; the idea's people are told of it.")
            )
            return redirect(idea)
    status = 422 if request.method == "POST" else 200
    context = {"idea": idea, "process": idea.process, "form": form, "link": link}
    return render(request, "participation/answer_form.html", context, status=status)
