"""Absolute links where the site runs (issue 10): from the request when there is one, from
``SITE_URL`` otherwise (a task, a command).

A task queued while a request runs takes the request's address with it (core/tasks.py,
``site``), so an e-mail written by the worker links where the person was; exports too.
``make run`` sets ``SITE_URL`` from ``HOST`` and ``PORT``. The host is the one Django
validated against ``ALLOWED_HOSTS``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The request being answered, or the address a task was queued from.
_where: ContextVar[HttpRequest | str | None] = ContextVar("digikunta_links", default=None)


def _root_of(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def current_root() -> str | None:
    """The address of the request being answered (or that queued this task), if any."""
    where = _where.get()
    if where is None or isinstance(where, str):
        return where
    return _root_of(where)


def site_root(request: HttpRequest | None = None) -> str:
    """``https://host`` of ``request`` (or of the request being answered), else SITE_URL."""
    if request is not None:
        return _root_of(request)
    return current_root() or settings.SITE_URL


@contextmanager
def serving(root: str | None) -> Iterator[None]:
    """Links made inside are under ``root`` (a task queued from a request), if given."""
    if not root:
        yield
        return
    token = _where.set(root)
    try:
        yield
    finally:
        _where.reset(token)


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (from reverse() or get_absolute_url()) as a link that works from outside."""
    return site_root(request) + path


class RequestLinksMiddleware:
    """Remembers the request for absolute_url() while it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _where.set(request)
        try:
            return self.get_response(request)
        finally:
            _where.reset(token)
