"""A cache backend for the stored parts of listings' rows (core/fragments.shared_rows)."""

import time
from collections import OrderedDict
from collections.abc import Iterable
from threading import Lock
from typing import TYPE_CHECKING, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class StringMemoryCache(LocMemCache):
    """Django's local-memory cache for values that are strings, never changed once stored:
    kept as they are instead of pickled, and a listing's rows read under one lock (issue 9:
    a page of 20 cards spent more on unpickling and key checks than on anything else of the
    cards). Only for strings: a mutable value would be shared by every reader."""

    # LocMemCache's own state, which django-stubs leaves out of its stub.
    _cache: OrderedDict[str, Any]
    _expire_info: dict[str, float | None]
    _lock: Lock
    if TYPE_CHECKING:

        def _set(self, key: str, value: Any, timeout: float | None = ...) -> None: ...
        def _has_expired(self, key: str) -> bool: ...

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self.get_many([key], version=version).get(key, default)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        now = time.time()
        with self._lock:
            for key in keys:
                made = self.make_key(key, version=version)
                expires = self._expire_info.get(made, -1)
                if expires is not None and expires <= now:
                    continue
                found[key] = self._cache[made]
                self._cache.move_to_end(made, last=False)
        return found

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self.set_many({key: value}, timeout, version=version)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        for value in data.values():
            if not isinstance(value, str):
                raise TypeError(f"{type(self).__name__} keeps strings only, not {type(value)}")
        with self._lock:
            for key, value in data.items():
                self._set(self.make_and_validate_key(key, version=version), value, timeout)
        return []

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        if not isinstance(value, str):
            raise TypeError(f"{type(self).__name__} keeps strings only, not {type(value)}")
        made = self.make_and_validate_key(key, version=version)
        with self._lock:
            if not self._has_expired(made):
                return False
            self._set(made, value, timeout)
            return True
