"""Health probes, security.txt, error pages and the site's fixed pages (privacy, accessibility,
open data)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.exceptions import Ratelimited

from digikunta.core.errors import Refused, json_error
from digikunta.core.limits import too_large


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """The database answers; a load balancer sends traffic only when this is 200."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: whom to tell about a vulnerability. Expires is renewed as the site runs, a
    quarter ahead, so a file copied elsewhere goes stale."""
    expires = (timezone.now() + timedelta(days=90)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fi, sv, en",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "429.html", status=429)


def _api_error(request: HttpRequest, status: int, detail: str) -> HttpResponse | None:
    """The API's documented error body, {detail, errors}, for an error Django itself answers."""
    if not request.path.startswith("/api/"):
        return None
    return json_error(status, detail)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400; a form field over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 that names the limit."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, None, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    detail = _("The request could not be read; check what was sent.")
    return _api_error(request, 400, detail) or render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 404, _("Not found.")) or render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, Ratelimited):
        return rate_limited(request, exception)
    if isinstance(exception, Refused):  # a refusal that says why (core/errors.py)
        page = "429.html" if exception.status_code == 429 else "403.html"
        context = {"message": exception.message}
        return render(request, page, context, status=exception.status_code)
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    detail = _("Something went wrong on our side and has been logged; try again later.")
    return _api_error(request, 500, detail) or render(request, "500.html", status=500)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"retention_days": settings.AUDIT_RETENTION_DAYS})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "core/api_docs.html", {"max_page_size": settings.API_MAX_PAGE_SIZE})


@require_GET
def api_reference_redirect(request: HttpRequest) -> HttpResponse:
    """/api/v1/docs: the reference page in the language the client asks for."""
    with translation.override(translation.get_language_from_request(request)):
        return redirect("api_reference")
