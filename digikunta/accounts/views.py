import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from digikunta.accounts import services
from digikunta.accounts.forms import EraseForm, ProfileForm, TokenForm
from digikunta.accounts.models import ApiToken
from digikunta.accounts.selectors import api_tokens_of, user_platform_roles
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.ratelimit import limit_form_posts


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your details were saved."))
        return redirect("accounts:settings")
    context = {
        "form": form,
        "roles": sorted(user_platform_roles(request.user)),
        "memberships": request.user.memberships.select_related(
            "organisation__municipality", "organisation__region"
        ),
    }
    return render_page_or_partial(request, "accounts/account_settings.html", "profile", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if form.is_valid():
        try:
            _token, new_token = services.token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {"form": form, "tokens": api_tokens_of(request.user), "new_token": new_token}
    response = render_page_or_partial(request, "accounts/token_list.html", "tokens", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@limit_form_posts
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("accounts:tokens")


@login_required
@require_http_methods(["GET"])
def data_overview(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data.html", {"erase_form": EraseForm(user=request.user)})


@login_required
@limit_form_posts
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    data = services.user_export(user=request.user)
    payload = json.dumps(
        {"exported_at": timezone.now(), "data": data}, cls=DjangoJSONEncoder, indent=2
    )
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="digikunta-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@limit_form_posts
@require_POST
def account_erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/data.html", {"erase_form": form}, status=422)
    user = request.user
    try:
        services.user_erase(user=user, by=user)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "accounts/data.html", {"erase_form": form}, status=422)
    logout(request)
    messages.success(request, _("Your account and personal data were erased."))
    return redirect("home")
