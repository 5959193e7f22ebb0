"""A create request carried out once, however often it arrives (issue 8, finding 11).

Two doors, one mechanism (``RequestReceipt``):

- **API**: a POST with an ``Idempotency-Key`` header (the IETF httpapi draft of that name). The
  first request with a key is carried out and its successful answer stored; a repeat with the
  same key and the same body gets that answer again, marked ``Idempotent-Replayed: true``. The
  same key with another body is refused (422); a repeat while the first is still running gets
  409 and ``Retry-After``. Failures (4xx, 5xx) are not stored: the client may fix and retry.
- **Forms**: every POST form carries a one-time ``submission`` token (``{% submission_token %}``
  beside ``{% csrf_token %}``). A second submission of the same filled form (a double click,
  the browser's resend, a script replaying it) waits for the first one and is sent where the
  first one went, so it never creates a second row.

Receipts are scoped to who sent them (a hash of the API token or of the signed-in person) and
kept for RETENTION.
"""

import hashlib
import random
import re
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from digikunta.core.errors import json_error
from digikunta.core.models import RequestReceipt

HEADER = "Idempotency-Key"
FIELD = "submission"
RETENTION = timedelta(hours=24)
STALE_AFTER = timedelta(minutes=2)  # a request that died mid-way leaves its receipt open
WAIT_FOR_FIRST = 10.0  # seconds a repeated form submission waits for the first one
MAX_STORED_BODY = 1024 * 1024
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as the draft recommends
IGNORED_FIELDS = {"csrfmiddlewaretoken", FIELD}


View = TypeVar("View", bound=Callable[..., Any])


def keeps_no_receipt(view: View) -> View:
    """Mark a view whose posted fields must not be kept, not even as a digest beside the person:
    the secret ballot's (docs/decisions/0021), whose few possible choices a digest would give
    away. The middleware leaves its posts alone; the view must be safe to repeat by itself."""
    view.keeps_no_receipt = True  # type: ignore[attr-defined]
    return view


def submission_token() -> SafeString:
    """The hidden field that makes one rendering of a form count once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, secrets.token_hex(16))


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def _scope(request: HttpRequest) -> str | None:
    """Who sent it: the bearer token (API), else the signed-in person; None for anonymous."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return _digest("token", authorization)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _digest("user", str(user.pk))
    return None


def _form_fingerprint(request: HttpRequest) -> str:
    fields = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name not in IGNORED_FIELDS
        for value in values
    )
    files = sorted(
        (name, upload.name or "", str(upload.size))
        for name, uploads in request.FILES.lists()
        for upload in uploads
    )
    return _digest(request.method or "", request.path, repr(fields), repr(files))


def _problem(status: int, detail: str, code: str) -> JsonResponse:
    return json_error(status, detail, field=HEADER, location="header", code=code)


def _claim(scope: str, key: str, fingerprint: str) -> tuple[RequestReceipt | None, Any]:
    """(our new receipt, None) when this is the first; (None, the earlier receipt) otherwise."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                receipt = RequestReceipt.objects.create(
                    scope=scope, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            earlier = RequestReceipt.objects.filter(scope=scope, key=key).first()
            if earlier is None:
                continue  # it expired between the insert and the read: try again
            too_old = earlier.created_at < timezone.now() - RETENTION
            died = not earlier.is_complete and earlier.created_at < timezone.now() - STALE_AFTER
            if too_old or died:
                earlier.delete()
                continue
            return None, earlier
        else:
            if random.random() < 0.01:  # noqa: S311 - spreading the clean-up, not security
                RequestReceipt.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
            return receipt, None
    return None, None


def _replay_api(receipt: RequestReceipt) -> HttpResponse:
    response = HttpResponse(
        bytes(receipt.body), status=receipt.status, content_type=receipt.content_type
    )
    if receipt.location:
        response["Location"] = receipt.location
    response["Idempotent-Replayed"] = "true"
    return response


def _wait_until_complete(receipt: RequestReceipt) -> RequestReceipt | None:
    deadline = time.monotonic() + WAIT_FOR_FIRST
    while time.monotonic() < deadline:
        time.sleep(0.1)
        current = RequestReceipt.objects.filter(pk=receipt.pk).first()
        if current is None or current.is_complete:
            return current
    return None


class RepeatedRequestMiddleware:
    """Answers a repeated create request with the first one's answer (see the module docstring).

    Its ``process_view`` runs after CsrfViewMiddleware's, so a forged form is refused first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        receipt: RequestReceipt | None = getattr(request, "_digikunta_receipt", None)
        if receipt is not None:
            self._settle(receipt, request, response)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or getattr(view, "keeps_no_receipt", False):
            return None
        if request.path.startswith("/api/"):
            return self._api(request)
        return self._form(request)

    def _api(self, request: HttpRequest) -> HttpResponse | None:
        key = request.headers.get(HEADER)
        if key is None:
            return None
        if not KEY_PATTERN.match(key):
            return _problem(
                422,
                _("Send an Idempotency-Key of 1 to 255 visible characters, e.g. a UUID."),
                "invalid",
            )
        scope = _scope(request)
        if scope is None:
            return None
        fingerprint = _digest(request.method or "", request.get_full_path(), request.body)
        receipt, earlier = _claim(scope, key, fingerprint)
        if receipt is not None:
            request._digikunta_receipt = receipt  # type: ignore[attr-defined]
            return None
        if earlier is None:
            return None
        if earlier.fingerprint != fingerprint:
            return _problem(
                422,
                _("This Idempotency-Key was already used for another request; use a new key."),
                "reused",
            )
        if not earlier.is_complete:
            response = _problem(
                409,
                _("A request with this Idempotency-Key is still running; try again shortly."),
                "in_progress",
            )
            response["Retry-After"] = "1"
            return response
        return _replay_api(earlier)

    def _form(self, request: HttpRequest) -> HttpResponse | None:
        content_type = request.content_type or ""
        if content_type not in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            return None
        key = request.POST.get(FIELD)
        scope = _scope(request)
        if not key or scope is None or not KEY_PATTERN.match(key):
            return None
        fingerprint = _form_fingerprint(request)
        receipt, earlier = _claim(scope, key, fingerprint)
        if receipt is not None:
            request._digikunta_receipt = receipt  # type: ignore[attr-defined]
            return None
        if earlier is None or earlier.fingerprint != fingerprint:
            return None  # the same rendering, filled in differently: a new submission
        if not earlier.is_complete:
            earlier = _wait_until_complete(earlier)
        if earlier is None or not earlier.is_complete or not earlier.location:
            return None
        return HttpResponseRedirect(earlier.location, status=earlier.status or 302)

    def _settle(
        self, receipt: RequestReceipt, request: HttpRequest, response: HttpResponse
    ) -> None:
        """Keep the answer of a request that worked; forget the receipt of one that did not."""
        is_api = request.path.startswith("/api/")
        keep = (
            200 <= response.status_code < 300
            and not response.streaming
            and len(response.content) <= MAX_STORED_BODY
            if is_api
            else 300 <= response.status_code < 400 and bool(response.get("Location"))
        )
        if not keep:
            RequestReceipt.objects.filter(pk=receipt.pk).delete()
            return
        receipt.is_complete = True
        receipt.status = response.status_code
        receipt.content_type = response.get("Content-Type", "")[:100]
        receipt.location = response.get("Location", "")[:2000]
        receipt.body = response.content if is_api else b""
        user = getattr(request, "user", None)  # the token's owner once the API has read it
        receipt.user = user if user is not None and user.is_authenticated else None
        receipt.save(
            update_fields=["is_complete", "status", "content_type", "location", "body", "user"]
        )
