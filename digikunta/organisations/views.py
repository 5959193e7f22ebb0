from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.core.htmx import render_page_or_partial
from digikunta.core.pagecache import cache_public_page
from digikunta.core.pagination import paginate
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.organisations import services
from digikunta.organisations.forms import (
    MemberAddForm,
    MemberRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from digikunta.organisations.models import Organisation
from digikunta.organisations.selectors import (
    get_organisation_for_user_or_404,
    memberships_of,
    organisations_list,
)


@require_GET
@cache_public_page
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = organisations_list(query=filters.get("q", ""), kind=filters.get("kind", ""))
    context = {"form": form, "page": paginate(request, organisations, per_page=50)}
    status = 400 if form.is_bound and form.errors else 200
    return render_page_or_partial(
        request, "organisations/organisation_list.html", "results", context, status=status
    )


@require_GET
@cache_public_page
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug)
    context: dict[str, object] = {"organisation": organisation}
    if can(request.user, "view_members", organisation):
        context["memberships"] = memberships_of(organisation)
    return render_page_or_partial(
        request, "organisations/organisation_detail.html", "main", context
    )


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "add", Organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was created. You are its administrator."))
            return redirect(organisation)
    return render_page_or_partial(
        request, "organisations/organisation_form.html", "form", {"form": form}
    )


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def organisation_update(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug, action="change")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(organisation)
    context = {"form": form, "organisation": organisation}
    return render_page_or_partial(request, "organisations/organisation_form.html", "form", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug, action="manage_members")
    form = MemberAddForm(request.POST or None)
    if form.is_valid():
        try:
            services.membership_set(
                organisation=organisation,
                user=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person was added."))
            return redirect("organisations:organisation_members", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "memberships": memberships_of(organisation),
        "form": form,
        "role_form": MemberRoleForm(),
    }
    return render_page_or_partial(
        request, "organisations/organisation_members.html", "members", context
    )


@login_required
@limit_form_posts
@require_POST
def membership_change(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug, action="manage_members")
    member = get_object_or_404(get_user_model(), pk=user_id, memberships__organisation=organisation)
    remove = request.POST.get("action") == "remove"
    form = MemberRoleForm(request.POST)
    try:
        if remove:
            services.membership_remove(organisation=organisation, user=member, by=request.user)
            messages.success(request, _("The person was removed."))
        elif form.is_valid():
            services.membership_set(
                organisation=organisation,
                user=member,
                role=form.cleaned_data["role"],
                by=request.user,
            )
            messages.success(request, _("The role was changed."))
        else:
            messages.error(request, _("Choose member or administrator."))
            return redirect("organisations:organisation_members", slug=organisation.slug)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organisations:organisation_members", slug=organisation.slug)


@login_required
@limit_form_posts
@require_POST
def organisation_leave(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug, action="leave")
    try:
        services.membership_remove(organisation=organisation, user=request.user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(organisation)
    messages.success(request, _("You left the organisation."))
    return redirect(organisation)
