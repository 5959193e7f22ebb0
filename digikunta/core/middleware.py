"""The request log, answers to signed-in people kept out of caches, and the status of failed
forms of third-party views."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger("digikunta.request")


class RequestLogMiddleware:
    """One structured line per request: method, path without query string, status, duration.

    No user, IP address or query string is logged: those can identify a person.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = getattr(request, "resolver_match", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "route": route.route if route else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


class FormErrorStatusMiddleware:
    """Answers 422 when a posted form comes back with errors (429 when rate limited).

    Our own views set the status themselves; this covers the template responses of
    third-party views (allauth), which answer 200 to a failed form.
    """

    rate_limit_codes = frozenset({"too_many_login_attempts"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(self, request: HttpRequest, response: Any) -> Any:
        if request.method != "POST" or response.status_code != 200:
            return response
        form = (response.context_data or {}).get("form")
        if form is None or not getattr(form, "is_bound", False) or not form.errors:
            return response
        codes = {error.code for errors in form.errors.as_data().values() for error in errors}
        response.status_code = 429 if codes & self.rate_limit_codes else 422
        return response


class PrivatePagesMiddleware:
    """A page or API answer for a signed-in person is never stored by a browser or a proxy.

    Anonymous pages keep their own caching (the page cache, docs/decisions/0009); a shared
    computer must not show the next user what the last one saw (ASVS 8.2.1).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.headers.get("Authorization"):
            patch_cache_control(response, private=True, no_store=True)
        return response
