"""Request bodies past the limit are refused before anything reads them (issue 8, finding 10),
and the API takes bodies in JSON only.

Django would read up to DATA_UPLOAD_MAX_MEMORY_SIZE and then fail with 400; a client that
sends too much deserves 413 and a message that says how much is allowed. Form uploads may be
larger than other bodies: a journal attachment is up to 20 MB (core/uploads.py).
"""

import math
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from digikunta.core.errors import json_error


def body_limit(request: HttpRequest) -> int:
    """The most bytes this request's body may have."""
    if (request.content_type or "").startswith("multipart/form-data"):
        return int(settings.UPLOAD_MAX_REQUEST_SIZE)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _megabytes(size: int) -> str:
    """Rounded up to a tenth, so that a body just over the limit never reads as the limit."""
    tenths = math.ceil(size * 10 / 1024 / 1024)
    return formats.number_format(tenths // 10 if tenths % 10 == 0 else tenths / 10)


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _unsupported_api_body(request: HttpRequest, length: int) -> HttpResponse | None:
    """415 for an API body that is not JSON: a text/plain or form body is what a cross-site
    form can send, and the API reads nothing else (ASVS 13.2.5)."""
    if not request.path.startswith("/api/") or request.method not in WRITE_METHODS:
        return None
    if length == 0 or request.content_type == "application/json":
        return None
    message = _("Send the request body as JSON, with Content-Type: application/json.")
    return json_error(
        415, message, field="Content-Type", location="header", code="unsupported_media_type"
    )


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return too_large(request, length, limit)
        return _unsupported_api_body(request, length) or self.get_response(request)


def too_large(request: HttpRequest, length: int | None, limit: int) -> HttpResponse:
    """413, as JSON for the API and as a page elsewhere, saying how much is allowed."""
    if length is None:
        message = _("The request is over the limit of %(limit)s MB.") % {"limit": _megabytes(limit)}
    else:
        message = _("The request is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": _megabytes(length),
            "limit": _megabytes(limit),
        }
    if request.path.startswith("/api/"):
        return json_error(413, message, location="body", code="too_large")
    return render(request, "413.html", {"message": message}, status=413)
