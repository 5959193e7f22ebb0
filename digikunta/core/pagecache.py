"""Whole-page cache for anonymous visitors of public pages (docs/decisions/0009-page-cache.md).

Most visitors of the case bank and of experiment pages are not signed in, and they all see
the same page. Such a request is answered from the "pages" cache, keyed by its full path,
its htmx target and a *generation* number shared by every process through the default cache.
Any write to public content bumps the generation, so no visitor sees a page older than the
last change (a second at most, in another process). Entries also expire after
``PAGE_CACHE_SECONDS``, for whatever signals miss (bulk updates).

Only a visitor without a session or messages cookie is served from the cache, and a response
is stored only when it is a 200 that set no cookie and used no CSRF token: nothing personal
can leak from one visitor to the next.
"""

import functools
import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
GENERATION_KEY = "pagecache:generation"
# The apps whose rows show on public pages; a write to any of their models bumps the generation.
PUBLIC_APPS = {"experiments", "organisations", "municipalities", "accounts", "funding"}
_STORED_HEADERS = ("Content-Type", "Content-Language", "Vary")
GENERATION_RECHECK_SECONDS = 1.0
_seen = {"at": float("-inf"), "value": 0}


def generation() -> int:
    """The shared generation, read at most once a second per process (a cached page costs no
    query); the process that wrote sees its own change at once."""
    now = time.monotonic()
    if now - _seen["at"] < GENERATION_RECHECK_SECONDS:
        return _seen["value"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    _seen.update(at=now, value=value)
    return value


def invalidate() -> None:
    """Every cached page is stale from now on: in this process at once, in others within a
    second."""
    _seen["at"] = float("-inf")
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(GENERATION_KEY, 2, timeout=None)
    except DatabaseError:  # during the first migrate, before the cache table exists
        logger.debug("page cache generation not bumped: no cache table yet")


def _on_write(sender: type, using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    if sender._meta.app_label not in PUBLIC_APPS or kwargs.get("raw"):
        return
    # After the commit, once per transaction: a page rendered before the commit must not be
    # stored under the new generation, and an import of 10,000 rows bumps it once.
    connection = transaction.get_connection(using)
    if not any(entry[1] is invalidate for entry in connection.run_on_commit):
        transaction.on_commit(invalidate, using=using, robust=True)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"pagecache-{id(signal)}")


def _anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest, view: str) -> str:
    parts = [
        view,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        str(generation()),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GET requests of ``view`` from the page cache."""
    name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.PAGE_CACHE_SECONDS or request.method != "GET" or not _anonymous(request):
            return view(request, *args, **kwargs)
        pages = caches["pages"]
        key = _key(request, name)
        stored = pages.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for header, value in headers:
                response[header] = value
            return response
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            headers = [(h, response[h]) for h in _STORED_HEADERS if response.has_header(h)]
            pages.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
