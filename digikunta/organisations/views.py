from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.accounts.pages import PEOPLE
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.pagecache import REFERENCE, cache_public_page
from digikunta.core.pagination import paginate
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.experiments.models import Experiment
from digikunta.experiments.pages import LISTING as EXPERIMENTS
from digikunta.experiments.selectors import by_stage, experiments_visible_to
from digikunta.organisations import services
from digikunta.organisations.forms import (
    InvitationAnswerForm,
    InvitationForm,
    JoinRequestForm,
    MemberRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from digikunta.organisations.models import INVITATION_VALID_DAYS, MembershipRole, Organisation
from digikunta.organisations.pages import NAMES, organisation_key
from digikunta.organisations.selectors import (
    contacts,
    get_invitation_for_user_or_404,
    get_organisation_for_user_or_404,
    invitations_for,
    involved_in,
    memberships_of,
    open_invitations_of,
    organisations_list,
    own_join_request,
    pending_join_requests,
)


@require_GET
@cache_public_page(NAMES)
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
@cache_public_page(
    REFERENCE, EXPERIMENTS, NAMES, PEOPLE, per_object=lambda slug: [organisation_key(slug)]
)
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug)
    partner_of = Experiment.partners.through.objects.filter(organisation=organisation)
    experiments = experiments_visible_to(request.user).filter(
        Q(owner=organisation) | Q(pk__in=partner_of.values("experiment_id"))
    )
    context: dict[str, object] = {
        "organisation": organisation,
        "may_ask_to_join": request.user.is_authenticated
        and not can(request.user, "leave", organisation),  # not a member
        "own_join_request": own_join_request(request.user, organisation),
        "work": by_stage(experiments),
        "involved": [o for o in involved_in(experiments) if o.pk != organisation.pk],
        "contacts": contacts([organisation.pk]),
        "show_owner": True,
    }
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
    form = InvitationForm(request.POST or None)
    if form.is_valid():
        try:
            services.invitation_send(
                organisation=organisation,
                by=request.user,
                language=request.LANGUAGE_CODE,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The same answer whether or not the address has an account (issue 8).
            messages.success(request, invitation_sent_message(form.cleaned_data["email"]))
            return redirect("organisations:organisation_members", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "memberships": memberships_of(organisation),
        "invitations": open_invitations_of(organisation),
        "join_requests": pending_join_requests(organisation),
        "form": form,
        "role_form": MemberRoleForm(),
    }
    return render_page_or_partial(
        request, "organisations/organisation_members.html", "members", context
    )


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def organisation_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask to join an organisation; its administrators approve or decline."""
    organisation = get_organisation_for_user_or_404(request.user, slug)
    if can(request.user, "leave", organisation):  # a member already
        messages.info(request, _("You are already a member of this organisation."))
        return redirect(organisation)
    waiting = own_join_request(request.user, organisation)
    form = JoinRequestForm(request.POST or None)
    if waiting is None and form.is_valid():
        try:
            services.join_request_create(
                organisation=organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request was sent. You will get an e-mail when the administrators answer."),
            )
            return redirect(organisation)
    context = {"organisation": organisation, "form": form, "waiting": waiting}
    return render_page_or_partial(request, "organisations/organisation_join.html", "form", context)


@login_required
@limit_form_posts
@require_POST
def join_request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug, action="manage_members")
    join_request = get_object_or_404(organisation.join_requests, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_request_decide(join_request=join_request, by=request.user, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = join_request.user.public_name
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        else:
            messages.success(request, _("The request of %(name)s was declined.") % {"name": name})
    return redirect("organisations:organisation_members", slug=organisation.slug)


def invitation_sent_message(email: str) -> str:
    return _(
        "If %(email)s is not a member with this role already, we have sent an invitation to it. "
        "The person joins when they accept it within %(days)s days."
    ) % {"email": email, "days": INVITATION_VALID_DAYS}


@login_required
@limit_form_posts
@require_POST
def membership_change(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug, action="manage_members")
    membership = get_object_or_404(organisation.memberships.select_related("user"), user=user_id)
    member = membership.user
    form = MemberRoleForm(request.POST)
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(organisation=organisation, user=member, by=request.user)
            messages.success(request, _("The person was removed."))
        elif not form.is_valid():
            messages.error(request, _("Choose member or administrator."))
        elif form.cleaned_data["role"] == MembershipRole.MEMBER:
            services.membership_demote(organisation=organisation, user=member, by=request.user)
            messages.success(request, _("The role was changed."))
        elif membership.role != MembershipRole.ADMIN:
            # No one becomes an administrator without choosing it: they are asked (issue 8).
            services.invitation_send(
                organisation=organisation,
                email=member.email,
                role=MembershipRole.ADMIN,
                by=request.user,
                language=request.LANGUAGE_CODE,
            )
            messages.success(
                request,
                _(
                    "We have asked %(name)s to become an administrator; "
                    "they become one when they accept."
                )
                % {"name": member.public_name},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organisations:organisation_members", slug=organisation.slug)


@login_required
@limit_form_posts
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user_or_404(request.user, slug, action="manage_members")
    invitation = get_object_or_404(open_invitations_of(organisation), pk=pk)
    services.invitation_withdraw(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("organisations:organisation_members", slug=organisation.slug)


@login_required
@require_GET
def invitation_list(request: HttpRequest) -> HttpResponse:
    context = {"invitations": invitations_for(request.user), "answer_form": InvitationAnswerForm()}
    return render_page_or_partial(
        request, "organisations/invitation_list.html", "invitations", context
    )


@login_required
@require_GET
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_invitation_for_user_or_404(request.user, token=token)
    context = {"invitation": invitation, "answer_form": InvitationAnswerForm()}
    return render_page_or_partial(
        request, "organisations/invitation_detail.html", "answer", context
    )


@login_required
@limit_form_posts
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user_or_404(request.user, pk=pk)
    organisation = invitation.organisation
    form = InvitationAnswerForm(request.POST)
    if not form.is_valid():
        context = {"invitation": invitation, "answer_form": form}
        return render_page_or_partial(
            request, "organisations/invitation_detail.html", "answer", context, status=422
        )
    try:
        if form.cleaned_data["answer"] == "accept":
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        else:
            services.invitation_decline(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organisations:invitation_list")
    if form.cleaned_data["answer"] == "decline":
        messages.success(request, _("You declined the invitation."))
        return redirect("organisations:invitation_list")
    if membership.role == MembershipRole.ADMIN:
        messages.success(request, _("You are now an administrator of the organisation."))
    else:
        messages.success(request, _("You are now a member of the organisation."))
    return redirect(organisation)


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
