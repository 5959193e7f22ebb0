"""Whole-page cache for anonymous visitors of public pages (docs/decisions/0009, 0012).

Most visitors of the case bank and of experiment pages are not signed in, and they all see
the same page. Such a request is answered from the "pages" cache.

**Keys per object** (ADR 0012). Each cached view declares the *dependency keys* of what it
shows: ``experiment:<slug>`` for one experiment's page, ``experiments:list`` for what listings
show, and so on. Every key has a version in the default cache, shared by all processes; a
page is stored under its path, its htmx headers and the versions of its keys, read before it
is rendered. A write bumps the keys of what it changed, after the commit, so exactly the pages
that show it are stale; nothing is scanned or deleted.

**The registry** is the one place that says which writes stale which keys. An app registers
its public models in its ``pages.py`` (imported by its ``AppConfig.ready``)::

    pagecache.register(Step, lambda step, change: [experiment_key(step.experiment.slug)])

A model that is not registered stales nothing: logins, sessions, drafts, autosaves, reviews,
tokens, audit events. ``fields=`` names the fields whose old values the keys function needs
(``change.changed``, ``change.before``); a save whose ``update_fields`` miss them all costs no
query. A new capability with public pages adds its keys, its ``register`` calls and a test that
an unrelated write leaves its pages cached.

Each process reads a key's version at most once a second, so a warm page costs no query; the
writing process sees its change at once, others within a second. Entries also expire after
``PAGE_CACHE_SECONDS``, for whatever signals miss (``QuerySet.update()``).

Only a visitor without a session or messages cookie is served from the cache, and a response
is stored only when it is a 200 that set no cookie and used no CSRF token: nothing personal
can leak from one visitor to the next.
"""

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from digikunta.core.oncommit import AfterCommit, after_commit
from digikunta.core.rows import column_field

logger = logging.getLogger(__name__)

# Keys shared by every app. Every cached page depends on EVERYTHING: invalidate() bumps it.
EVERYTHING = "everything"
# Names of municipalities, regions, themes, target groups and life events, shown on many pages.
REFERENCE = "reference"

_PREFIX = "pagecache:v:"
_STORED_HEADERS = ("Content-Type", "Content-Language", "Vary")
VERSION_RECHECK_SECONDS = 1.0
_MEMO_LIMIT = 10_000
_seen: dict[str, tuple[float, int]] = {}


# --- Versions -------------------------------------------------------------------------------


def versions(keys: Iterable[str]) -> list[int]:
    """The shared versions of ``keys``, each read at most once a second per process.

    A key missing from the cache (never bumped, or culled) gets a fresh value unique in time,
    so a page stored before it was lost can never match it again.
    """
    keys = list(keys)
    now = time.monotonic()
    stale = [
        k for k in keys if now - _seen.get(k, (float("-inf"), 0))[0] >= VERSION_RECHECK_SECONDS
    ]
    if stale:
        found = cache.get_many([_PREFIX + k for k in stale])
        for key in stale:
            value = found.get(_PREFIX + key)
            if value is None:
                cache.add(_PREFIX + key, time.time_ns(), timeout=None)
                value = cache.get(_PREFIX + key, 0)
            _remember(key, now, value)
    return [_seen[k][1] for k in keys]


def _remember(key: str, at: float, value: int) -> None:
    if len(_seen) > _MEMO_LIMIT:
        _seen.clear()
    _seen[key] = (at, value)


def bump(*keys: str) -> None:
    """Every page that depends on one of ``keys`` is stale from now on: in this process at
    once, in others within a second. Call it after the commit (``register`` does)."""
    for key in keys:
        _seen.pop(key, None)
        try:
            cache.incr(_PREFIX + key)
        except ValueError:  # never read yet, or culled: any new value will do
            cache.set(_PREFIX + key, time.time_ns(), timeout=None)
        except DatabaseError:  # during the first migrate, before the cache table exists
            logger.debug("page cache key %s not bumped: no cache table yet", key)


def invalidate() -> None:
    """Every cached page is stale: for bulk imports and operators, not for ordinary writes."""
    bump(EVERYTHING)


def generation() -> tuple[int, ...]:
    """Changes when reference data changes or everything is invalidated (core.forms uses it
    to rebuild the choices of reference data)."""
    return tuple(versions([EVERYTHING, REFERENCE]))


# --- The registry: which writes stale which keys -----------------------------------------------


@dataclass(frozen=True)
class Change:
    """What a write did, for a keys function: ``changed`` are the registered ``fields`` whose
    value changed (all of them when the row was created or deleted; the field's name for a
    many-to-many change), ``before`` their old values (empty for a new row)."""

    created: bool = False
    deleted: bool = False
    changed: frozenset[str] = frozenset()
    before: dict[str, Any] = field(default_factory=dict)


KeysFunction = Callable[[Any, Change], Iterable[str]]


@dataclass(frozen=True)
class _Entry:
    keys: KeysFunction
    fields: tuple[str, ...]


_registry: dict[type[models.Model], _Entry] = {}


def register(model: type[models.Model], keys: KeysFunction, *, fields: Iterable[str] = ()) -> None:
    """After a committed save, delete or many-to-many change of ``model``, bump
    ``keys(instance, change)``. See the module docstring."""
    _registry[model] = _Entry(keys, tuple(fields))


class _Bump(AfterCommit):
    """After the commit: a page rendered before it must not be stored under the new versions,
    and a rolled-back write stales nothing. An import of 10,000 rows bumps each key once."""

    def run(self, items: list[str]) -> None:
        bump(*items)


def _schedule(keys: Iterable[str], using: str) -> None:
    after_commit(_Bump, keys, using)


def _attnames(model: type[models.Model], names: tuple[str, ...]) -> dict[str, str]:
    return {name: column_field(model, name).attname for name in names}


def _before_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    entry = _registry.get(sender)
    if entry is None or raw or not entry.fields or instance._state.adding:
        return
    update_fields = kwargs.get("update_fields")
    names = tuple(name for name in entry.fields if update_fields is None or name in update_fields)
    before: dict[str, Any] = {}
    if names:
        attnames = _attnames(sender, names)
        row = (
            sender._base_manager.using(kwargs.get("using") or DEFAULT_DB_ALIAS)
            .filter(pk=instance.pk)
            .values(*attnames.values())
            .first()
        )
        before = {name: row[attname] for name, attname in attnames.items()} if row else {}
    instance._pagecache_before = before  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    entry = _registry.get(sender)
    if entry is None or raw:
        return
    if created:
        change = Change(created=True, changed=frozenset(entry.fields))
    else:
        before = instance.__dict__.pop("_pagecache_before", {})
        attnames = _attnames(sender, tuple(before))
        changed = frozenset(
            name for name, value in before.items() if getattr(instance, attnames[name]) != value
        )
        change = Change(changed=changed, before=before)
    _schedule(entry.keys(instance, change), kwargs.get("using") or DEFAULT_DB_ALIAS)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    entry = _registry.get(sender)
    if entry is None:
        return
    change = Change(deleted=True, changed=frozenset(entry.fields))
    _schedule(entry.keys(instance, change), kwargs.get("using") or DEFAULT_DB_ALIAS)


def _after_m2m(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: Any,
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    forward = model if reverse else type(instance)
    entry = _registry.get(forward)
    if entry is None:
        return
    names = [f.name for f in forward._meta.many_to_many if f.remote_field.through is sender]
    if not names:
        return
    name = names[0]
    change = Change(changed=frozenset({name}))
    if not reverse:
        _schedule(entry.keys(instance, change), using)
    elif pk_set is None:  # theme.experiments.clear(): which ones is no longer known
        _schedule([EVERYTHING], using)
    else:
        for obj in forward._base_manager.using(using).filter(pk__in=pk_set):
            _schedule(entry.keys(obj, change), using)


def connect_signals() -> None:
    pre_save.connect(_before_save, dispatch_uid="pagecache-pre-save")
    post_save.connect(_after_save, dispatch_uid="pagecache-post-save")
    post_delete.connect(_after_delete, dispatch_uid="pagecache-post-delete")
    m2m_changed.connect(_after_m2m, dispatch_uid="pagecache-m2m")


# --- The decorator --------------------------------------------------------------------------


def _anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest, view: str, keys: list[str]) -> str:
    parts = [
        view,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        *keys,
        *map(str, versions(keys)),
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


def cache_public_page(
    *keys: str, per_object: Callable[..., Iterable[str]] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve anonymous GET requests of the view from the page cache, stale when one of
    ``keys``, or of ``per_object(**url_kwargs)``, is bumped::

        @cache_public_page(LISTING, per_object=lambda slug: [experiment_key(slug)])

    The keys are known from the URL, before anything is read, so a write that commits while
    the page renders stales the stored copy too.
    """
    if not keys and per_object is None:
        raise TypeError("cache_public_page needs the keys the page depends on (ADR 0012).")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if (
                not settings.PAGE_CACHE_SECONDS
                or request.method != "GET"
                or not _anonymous(request)
            ):
                return view(request, *args, **kwargs)
            depends = [EVERYTHING, *keys, *(per_object(**kwargs) if per_object else ())]
            pages = caches["pages"]
            key = _key(request, name, depends)
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

    return decorator
