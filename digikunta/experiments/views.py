from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.accounts.models import User
from digikunta.accounts.pages import PEOPLE
from digikunta.accounts.requests import AuthenticatedRequest
from digikunta.core.errors import Refused
from digikunta.core.fragments import shared_html, stamp
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.pagecache import REFERENCE, cache_public_page
from digikunta.core.pagination import paginate
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.experiments import lifecycle, services
from digikunta.experiments.charts import build_chart
from digikunta.experiments.forms import (
    ExperimentForm,
    FollowUpForm,
    IndicatorForm,
    JournalEditForm,
    JournalEntryForm,
    MeasurementForm,
    ReuseForm,
    StepForm,
    TeamMemberForm,
    ThemeForm,
    ThemeMergeForm,
    TransitionForm,
)
from digikunta.experiments.models import Attachment, Experiment, JournalPhoto, Theme, Visibility
from digikunta.experiments.pages import LISTING, WITHDRAWN, experiment_key
from digikunta.experiments.selectors import (
    experiment_page_data,
    experiments_list,
    experiments_visible_to,
    get_experiment_for_user_or_404,
    get_theme_or_404,
    lifecycle_state,
    themes_for_coordinators,
    viewer_follows,
    visibility_scope,
)
from digikunta.experiments.similarity import similar_experiments
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.organisations.pages import NAMES as ORGANISATION_NAMES

DETAIL = "experiments/experiment_detail.html"
# What an experiment's page shows besides its own rows (ADR 0012): names of places, themes,
# organisations and people, and other experiments (similar ones, reuses, the original). Their
# titles refresh with the page or within PAGE_CACHE_SECONDS; a withdrawn one disappears at once.
PAGE_SHOWS = (WITHDRAWN, REFERENCE, ORGANISATION_NAMES, PEOPLE)


def _owners_for(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).select_related(
        "municipality", "region"
    )


@require_GET
@cache_public_page(LISTING, REFERENCE, ORGANISATION_NAMES)
def experiment_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, experiments_list(request.user).order_by("-updated_at"), per_page=25)
    context = {"page": page, "may_manage_themes": can(request.user, "change", Theme)}
    return render_page_or_partial(request, "experiments/experiment_list.html", "results", context)


def _viewer_context(request: HttpRequest, experiment: Experiment) -> dict[str, Any]:
    """What differs from one viewer of the page to the next: their rights and their follow."""
    user = request.user
    return {
        "experiment": experiment,
        "may_change": can(user, "change", experiment),
        "may_transition": can(user, "transition", experiment),
        "may_reuse": can(user, "reuse", experiment),
        "may_publish": can(user, "publish", experiment),
        "is_following": user.is_authenticated and viewer_follows(user, experiment),
    }


def _shown_context(user: object, experiment: Experiment) -> dict[str, Any]:
    """What the page shows of the experiment, the same for everyone of ``user``'s
    visibility_scope (the original and similar experiments are those they may see)."""
    data = experiment_page_data(experiment)
    charts = {
        indicator.pk: build_chart(
            indicator.baseline,
            indicator.target,
            [(m.measured_on, m.value) for m in indicator.measurements.all()],
        )
        for indicator in data["indicators"]
    }
    original = experiment.reused_from
    return {
        # The original this one started from, only if the viewer may see it (issue 8).
        "reused_from": original if original and can(user, "view", original) else None,
        "similar": similar_experiments(experiment, experiments_visible_to(user)),
        "charts": charts,
        **data,
    }


def _transition_form(
    request: HttpRequest, experiment: Experiment, data: object = None
) -> TransitionForm:
    """The stage form, offering the moves this person may make now (lifecycle.py)."""
    return TransitionForm(
        data,
        experiment=experiment,
        state=lifecycle_state(experiment),
        by_coordinator=can(request.user, "attest_spread", experiment),
    )


def _detail_context(
    request: HttpRequest, experiment: Experiment, **extra: object
) -> dict[str, Any]:
    context = _viewer_context(request, experiment)
    context.update(_shown_context(request.user, experiment))
    if context["may_transition"] and "transition_form" not in extra:
        context["transition_form"] = _transition_form(request, experiment)
    if context["may_change"]:
        # Steps never settled once it is evaluated: flagged to those who can mark them.
        context["leftover_steps"] = [
            step
            for step in context["steps"]
            if lifecycle.is_leftover_step(experiment.status, step.status)
        ]
        context.setdefault("step_form", StepForm())
        context.setdefault("indicator_form", IndicatorForm())
        context.setdefault("measurement_form", MeasurementForm())
        context.setdefault(
            "journal_form", JournalEntryForm(initial={"language": experiment.language})
        )
    context.update(extra)
    return context


def _shared_parts(request: HttpRequest, experiment: Experiment) -> dict[str, str]:
    """The page's head and body as a viewer without editing rights sees them (ADR 0013)."""
    context = {
        **_shown_context(request.user, experiment),
        "experiment": experiment,
        "may_change": False,
        "may_transition": False,
        "LANGUAGE_CODE": get_language(),
    }
    return {part: render_to_string(f"{DETAIL}#{part}", context) for part in ("head", "body")}


@require_GET
@cache_public_page(*PAGE_SHOWS, per_object=lambda slug: [experiment_key(slug)])
def experiment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    keys = [*PAGE_SHOWS, experiment_key(slug)]
    stamped = stamp(keys)  # before the experiment is read: a write during the view stales it
    experiment = get_experiment_for_user_or_404(request.user, slug, related=False)
    scope = visibility_scope(request.user, viewing=experiment)  # also their role in it
    context = _viewer_context(request, experiment)
    if context["may_change"] or context["may_transition"]:  # the team and admins: their forms
        experiment = get_experiment_for_user_or_404(request.user, slug)
        return render_page_or_partial(request, DETAIL, "main", _detail_context(request, experiment))
    # Everyone else sees the same page around their own buttons: the head and body come from
    # the fragment cache, under the page cache's keys for this experiment (ADR 0012, 0013).
    context["shared"] = shared_html(
        "experiments:detail",
        keys,
        lambda: _shared_parts(request, experiment),
        vary=[scope],
        stamped=stamped,
    )
    return render_page_or_partial(request, DETAIL, "main", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def experiment_create(request: AuthenticatedRequest) -> HttpResponse:
    if not can(request.user, "add", Experiment):
        messages.info(
            request,
            _(
                "Experiments belong to organisations. Find yours below and ask to join it on "
                "its page, or add a new organisation."
            ),
        )
        return redirect("organisations:organisation_list")
    owners = _owners_for(request.user)
    form = ExperimentForm(request.POST or None, owners=owners)
    if form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        try:
            experiment = services.experiment_create(by=request.user, owner=owner, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The experiment was created as an idea. It is a draft: only its team, "
                    "your organisation's administrators and the coordinators see it until you "
                    "publish it."
                ),
            )
            return redirect(experiment)
    return render_page_or_partial(
        request, "experiments/experiment_form.html", "form", {"form": form}
    )


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def experiment_update(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    can_publish = can(request.user, "publish", experiment)
    form = ExperimentForm(request.POST or None, instance=experiment, can_publish=can_publish)
    if form.is_valid():
        try:
            services.experiment_update(experiment=experiment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(experiment)
    context = {"form": form, "experiment": experiment}
    return render_page_or_partial(request, "experiments/experiment_form.html", "form", context)


@login_required
@limit_form_posts
@require_POST
def experiment_transition(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="transition")
    form = _transition_form(request, experiment, request.POST)
    if form.is_valid():
        try:
            services.experiment_transition(
                experiment=experiment, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The stage was changed."))
            return redirect(experiment)
    context = _detail_context(request, experiment, transition_form=form)
    return render_page_or_partial(request, DETAIL, "transition", context, status=422)


@login_required
@limit_form_posts
@require_POST
def experiment_publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="publish")
    try:
        services.experiment_publish(
            experiment=experiment, by=request.user, visibility=request.POST.get("visibility", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(experiment)
    if experiment.visibility == Visibility.PUBLIC:
        messages.success(request, _("The experiment was published: everyone can see it."))
    else:
        messages.success(
            request, _("The experiment was published to the members of its organisation.")
        )
    return redirect(experiment)


@login_required
@limit_form_posts
@require_POST
def experiment_unpublish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="publish")
    services.experiment_unpublish(experiment=experiment, by=request.user)
    messages.success(
        request,
        _(
            "The experiment is a draft again: only its team, its organisation's "
            "administrators and the coordinators see it."
        ),
    )
    return redirect(experiment)


def _add_child(
    request: HttpRequest,
    slug: str,
    form_class: type,
    save: Callable[[Experiment, dict[str, Any]], object],
    key: str,
) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(experiment, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(experiment.get_absolute_url() + f"#{key}s")
    context = _detail_context(request, experiment, **{f"{key}_form": form})
    return render_page_or_partial(request, DETAIL, f"{key}s", context, status=422)


@login_required
@limit_form_posts
@require_POST
def step_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _add_child(
        request,
        slug,
        StepForm,
        lambda experiment, data: services.step_save(experiment=experiment, **data),
        "step",
    )


@login_required
@limit_form_posts
@require_POST
def step_move(request: AuthenticatedRequest, slug: str, step_id: int) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    step = get_object_or_404(experiment.steps, pk=step_id)
    services.step_move(step=step, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(experiment.get_absolute_url() + "#steps")


@login_required
@limit_form_posts
@require_POST
def indicator_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _add_child(
        request,
        slug,
        IndicatorForm,
        lambda experiment, data: services.indicator_save(experiment=experiment, **data),
        "indicator",
    )


@login_required
@limit_form_posts
@require_POST
def measurement_create(request: AuthenticatedRequest, slug: str, indicator_id: int) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    indicator = get_object_or_404(experiment.indicators, pk=indicator_id)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        services.measurement_add(indicator=indicator, by=request.user, **form.cleaned_data)
        return redirect(experiment.get_absolute_url() + f"#indicator-{indicator.pk}")
    context = _detail_context(
        request, experiment, measurement_form=form, failed_indicator=indicator.pk
    )
    return render_page_or_partial(request, DETAIL, "indicators", context, status=422)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def experiment_reuse(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    original = get_experiment_for_user_or_404(request.user, slug)
    if not can(request.user, "reuse", original):
        raise PermissionDenied
    form = ReuseForm(request.POST or None, owners=_owners_for(request.user))
    if form.is_valid():
        copy = services.experiment_reuse(
            original=original, owner=form.cleaned_data["owner"], by=request.user
        )
        messages.success(request, _("A new experiment was started from this one. Make it yours."))
        return redirect("experiments:experiment_update", slug=copy.slug)
    context = {"experiment": original, "form": form}
    return render_page_or_partial(request, "experiments/experiment_reuse.html", "form", context)


@login_required
@limit_form_posts
@require_POST
def journal_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    form = JournalEntryForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.journal_entry_create(
                experiment=experiment,
                by=request.user,
                body=data["body"],
                video_url=data["video_url"],
                language=data["language"],
                photo=data.get("processed_photo"),
                alt_text=data.get("alt_text", ""),
                attachment=data.get("attachment"),
                attachment_type=data.get("attachment_type", ""),
            )
        except Refused as refusal:  # a blocked account, or posting too fast (moderation)
            form.add_error(None, refusal.message)
            status = refusal.status_code
        else:
            messages.success(request, _("The journal entry was published."))
            return redirect(experiment.get_absolute_url() + "#journal")
    context = _detail_context(request, experiment, journal_form=form)
    return render_page_or_partial(request, DETAIL, "journal", context, status=status)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def journal_update(request: AuthenticatedRequest, slug: str, entry_id: int) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    entry = get_object_or_404(experiment.journal.visible(), pk=entry_id)
    form = JournalEditForm(request.POST or None, instance=entry)
    status = None
    if form.is_valid():
        try:
            services.journal_entry_update(entry=entry, by=request.user, **form.cleaned_data)
        except Refused as refusal:  # a blocked account
            form.add_error(None, refusal.message)
            status = refusal.status_code
        else:
            messages.success(
                request, _("The changes were saved; the earlier text is in the history.")
            )
            return redirect(experiment.get_absolute_url() + "#journal")
    context = {"experiment": experiment, "entry": entry, "form": form}
    page = "experiments/journal_form.html"
    return render_page_or_partial(request, page, "form", context, status=status)


@require_GET
def journal_history(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug)
    entry = get_object_or_404(experiment.journal.visible(), pk=entry_id)  # not what was hidden
    context = {
        "experiment": experiment,
        "entry": entry,
        "versions": entry.versions.select_related("edited_by"),
    }
    return render(request, "experiments/journal_history.html", context)


@require_GET
def journal_file(request: HttpRequest, slug: str, kind: str, file_id: int) -> FileResponse:
    """Photos and attachments, served only to people who may see the experiment, and never
    those of an entry the moderators hid."""
    if kind not in {"photo", "thumbnail", "attachment"}:
        raise Http404
    experiment = get_experiment_for_user_or_404(request.user, slug)
    if kind == "attachment":
        item = get_object_or_404(
            Attachment, pk=file_id, entry__experiment=experiment, entry__hidden_at__isnull=True
        )
        stored, filename, as_attachment = item.file, item.name, True
        content_type = item.content_type
    else:
        photo = get_object_or_404(
            JournalPhoto, pk=file_id, entry__experiment=experiment, entry__hidden_at__isnull=True
        )
        stored = photo.thumbnail if kind == "thumbnail" else photo.image
        filename, as_attachment, content_type = stored.name.rsplit("/", 1)[-1], False, None
    response = FileResponse(
        stored.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    public = experiment.visibility == "public"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@limit_form_posts
@require_POST
def experiment_follow(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug)
    following = request.POST.get("follow") == "1"
    services.follow_set(user=request.user, experiment=experiment, following=following)
    messages.success(
        request,
        _("You follow this experiment.")
        if following
        else _("You no longer follow this experiment."),
    )
    return redirect(experiment)


@login_required
@limit_form_posts
@require_POST
def municipality_follow(request: AuthenticatedRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code)
    following = request.POST.get("follow") == "1"
    services.follow_set(user=request.user, municipality=municipality, following=following)
    messages.success(
        request,
        _("You follow the experiments of this municipality.")
        if following
        else _("You no longer follow this municipality."),
    )
    return redirect(municipality)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def follow_up_answer(request: AuthenticatedRequest, slug: str, follow_up_id: int) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    follow_up = get_object_or_404(experiment.follow_ups, pk=follow_up_id)
    form = FollowUpForm(
        request.POST or None,
        indicators=list(experiment.indicators.all()),
        initial={"lasted": follow_up.lasted, "note": follow_up.note},
    )
    if form.is_valid():
        services.follow_up_answer(
            follow_up=follow_up,
            by=request.user,
            lasted=form.cleaned_data["lasted"],
            note=form.cleaned_data["note"],
            values=form.indicator_values(),
        )
        messages.success(request, _("Thank you: the answer shows on the experiment's page."))
        return redirect(experiment.get_absolute_url() + "#follow-ups")
    context = {"experiment": experiment, "follow_up": follow_up, "form": form}
    return render_page_or_partial(request, "experiments/follow_up_form.html", "form", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def step_update(request: AuthenticatedRequest, slug: str, step_id: int) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="change")
    step = get_object_or_404(experiment.steps, pk=step_id)
    form = StepForm(request.POST or None, instance=step)
    if form.is_valid():
        services.step_save(experiment=experiment, step=step, **form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect(experiment.get_absolute_url() + "#steps")
    context = {"experiment": experiment, "step": step, "form": form}
    return render_page_or_partial(request, "experiments/step_form.html", "form", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def team(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    experiment = get_experiment_for_user_or_404(request.user, slug, action="manage_team")
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        member = get_object_or_404(experiment.team, pk=request.POST["remove"])
        try:
            services.team_member_remove(member=member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The person was removed."))
        return redirect("experiments:team", slug=experiment.slug)
    if form.is_valid():
        services.team_member_add(
            experiment=experiment, user=form.cleaned_data["email"], role=form.cleaned_data["role"]
        )
        messages.success(request, _("The person was added."))
        return redirect("experiments:team", slug=experiment.slug)
    context = {
        "experiment": experiment,
        "form": form,
        "members": experiment.team.select_related("user"),
    }
    return render_page_or_partial(request, "experiments/team.html", "form", context)


# --- The theme taxonomy: the coordinators' own page (issue 10) ---------------------------------


def _check_coordinator(request: HttpRequest) -> None:
    if not can(request.user, "change", Theme):
        raise PermissionDenied


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def theme_list(request: AuthenticatedRequest) -> HttpResponse:
    """The themes with how many experiments have each, and a form to add one."""
    _check_coordinator(request)
    form = ThemeForm(request.POST or None)
    if form.is_valid():
        try:
            theme = services.theme_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The theme “%(theme)s” was added.") % {"theme": theme.name})
            return redirect("experiments:theme_list")
    context = {"themes": themes_for_coordinators(), "form": form}
    return render_page_or_partial(request, "experiments/theme_list.html", "form", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def theme_update(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    """Rename a theme in Finnish, Swedish and English, or move it in the list; retiring and
    merging it are on the same page."""
    _check_coordinator(request)
    theme = get_theme_or_404(theme_id)
    name = theme.name  # as stored: the form changes the instance it checks
    form = ThemeForm(request.POST or None, instance=theme)
    if form.is_valid():
        try:
            services.theme_update(theme=theme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("experiments:theme_list")
    context = {
        "theme": theme,
        "name": name,
        "form": form,
        "merge_form": ThemeMergeForm(theme=theme),
    }
    return render_page_or_partial(request, "experiments/theme_form.html", "form", context)


@login_required
@limit_form_posts
@require_POST
def theme_retire(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    _check_coordinator(request)
    theme = get_theme_or_404(theme_id)
    retiring = request.POST.get("retire") == "1"
    services.theme_retire(theme=theme, by=request.user, is_retired=retiring)
    if retiring:
        message = _(
            "The theme “%(theme)s” was retired: the experiments that have it keep it, but it "
            "is not offered for new ones."
        )
    else:
        message = _("The theme “%(theme)s” is in use again.")
    messages.success(request, message % {"theme": theme.name})
    return redirect("experiments:theme_list")


@login_required
@limit_form_posts
@require_POST
def theme_merge(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    _check_coordinator(request)
    theme = get_theme_or_404(theme_id)
    merge_form = ThemeMergeForm(request.POST, theme=theme)
    if merge_form.is_valid():
        into = merge_form.cleaned_data["into"]
        try:
            moved = services.theme_merge(theme=theme, into=into, by=request.user)
        except ValidationError as error:
            merge_form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "“%(theme)s” was merged into “%(into)s”: one experiment moved.",
                    "“%(theme)s” was merged into “%(into)s”: %(counter)s experiments moved.",
                    moved,
                )
                % {"theme": theme.name, "into": into.name, "counter": moved},
            )
            return redirect("experiments:theme_list")
    context = {
        "theme": theme,
        "name": theme.name,
        "form": ThemeForm(instance=theme),
        "merge_form": merge_form,
    }
    page = "experiments/theme_form.html"
    return render_page_or_partial(request, page, "merge", context, status=422)
