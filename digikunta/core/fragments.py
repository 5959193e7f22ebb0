"""Parts of a page that are the same for many viewers, rendered once per object, language and
version (docs/decisions/0013).

The page cache (core/pagecache.py) serves whole pages to anonymous visitors only. A signed-in
person's page differs in a few places (their buttons, their forms, the CSRF token), but most of
it — an experiment's texts, journal, indicators, similar experiments — is what everyone else
sees. A view renders those parts through :func:`shared_html` and the per-viewer parts around
them, so a signed-in page costs the person's own queries, not the object's.

Entries are keyed like cached pages: the fragment's name, the language, what else it varies
on (``vary``: for example, which members-only experiments the viewer may see) and the ADR 0012
dependency keys with their current versions. A write that bumps one of the keys makes a new
key, so nothing is ever served stale by a registered write; entries also expire after
``FRAGMENT_CACHE_SECONDS`` (0 turns the cache off) for what no key covers, such as the title
of another experiment shown in a list.

The versions are read before anything is rendered: a write that commits during the render
bumps a version the stored copy was not made under.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

from digikunta.core.pagecache import EVERYTHING, versions

CACHE_ALIAS = "fragments"
ROWS_ALIAS = "fragment-rows"
Row = TypeVar("Row")
T = TypeVar("T")


def fragment_store() -> Any:
    return caches[CACHE_ALIAS]


def stamp(keys: Iterable[str]) -> list[int]:
    """The current versions of ``keys``: read them before the view reads the data a part
    shows, and pass them to shared_html, when the view reads some of it first."""
    return versions([EVERYTHING, *keys])


def fragment_key(
    name: str,
    keys: Iterable[str],
    vary: Iterable[object] = (),
    stamped: list[int] | None = None,
) -> str:
    depends = [EVERYTHING, *keys]
    current = stamped if stamped is not None else versions(depends)
    parts = [name, get_language() or "", *map(str, vary), *depends, *map(str, current)]
    return "fragment:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def shared_html(
    name: str,
    keys: Iterable[str],
    render: Callable[[], T],
    *,
    vary: Iterable[object] = (),
    stamped: list[int] | None = None,
) -> T:
    """``render()``'s result (safe HTML, or a dict of them), from the fragment cache when an
    entry for ``name`` in this language, ``vary`` and the current versions of ``keys`` (or
    ``stamped``, from :func:`stamp`) exists."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if not seconds:
        return render()
    store = fragment_store()
    key = fragment_key(name, keys, vary, stamped)
    found: T | None = store.get(key)
    if found is None:
        found = render()
        store.set(key, found, seconds)
    return found


def shared_rows(
    name: str,
    keys: Iterable[str],
    rows: Iterable[Row],
    *,
    vary: Callable[[Row], Iterable[object]],
    render: Callable[[list[Row]], Iterable[Any]],
) -> list[Any]:
    """One stored part per row of a listing, in the rows' order: ``vary(row)`` tells the rows
    apart (its id and updated_at), and ``render(rows)`` makes the parts of the rows not stored,
    in one batch, so a page costs the same queries whatever its size. The versions of ``keys``
    are read once for the whole listing."""
    rows = list(rows)
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if not seconds or not rows:
        return list(render(rows)) if rows else []
    stamped = stamp(keys)
    row_keys = [fragment_key(name, keys, vary(row), stamped) for row in rows]
    store = caches[ROWS_ALIAS]
    found = store.get_many(row_keys)
    missing = [i for i, key in enumerate(row_keys) if key not in found]
    if missing:
        parts = render([rows[i] for i in missing])
        made = dict(zip((row_keys[i] for i in missing), parts, strict=True))
        store.set_many(made, seconds)
        found.update(made)
    return [found[key] for key in row_keys]
