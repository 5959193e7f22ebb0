"""The notification settings page and the one-click unsubscribe link (issue 11, item 9)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from digikunta.accounts.requests import AuthenticatedRequest
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.ratelimit import limit_form_posts
from digikunta.notifications import kinds, selectors, services
from digikunta.notifications.forms import PreferencesForm
from digikunta.notifications.tokens import read_unsubscribe_token


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    current = selectors.frequencies_of(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if form.is_valid():
        try:
            services.preferences_save(user=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification choices were saved."))
            return redirect("notifications:settings")
    context = {
        "form": form,
        "has_kinds": bool(current),
        "stopped_all": selectors.has_stopped_all(request.user),
    }
    page = "notifications/notification_settings.html"
    return render_page_or_partial(request, page, "choices", context)


# The signed token is the authority, not a session: a mail client's one-click POST (RFC 8058)
# carries no CSRF token and no cookie, and is not rate-limited per address (a mail provider
# posts for many people from few addresses). GET only shows the button, so a link prefetcher
# or a virus scanner opening the link stops nothing.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    read = read_unsubscribe_token(token)
    if read is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user_id, key = read
    done = request.method == "POST"
    if done:
        services.unsubscribe(user_id=user_id, kind=key)
    context = {
        "done": done,
        "every_kind": key == kinds.ALL,
        "kind": None if key == kinds.ALL else kinds.find(key),
    }
    response = render(request, "notifications/unsubscribe.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
