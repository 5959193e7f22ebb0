"""The strings-only memory cache of listings' rows (core/cache.py): a cache like Django's."""

import time

import pytest
from django.core.cache import caches

from digikunta.core.fragments import ROWS_ALIAS


@pytest.fixture
def store():
    store = caches[ROWS_ALIAS]
    store.clear()
    return store


def test_it_keeps_strings_reads_many_at_once_and_forgets_expired_ones(store, monkeypatch):
    store.set_many({"a": "<li>A</li>", "b": "<li>B</li>"}, 60)
    store.set("c", "C", 1)
    assert store.get_many(["a", "b", "c", "missing"]) == {
        "a": "<li>A</li>",
        "b": "<li>B</li>",
        "c": "C",
    }
    assert store.get("missing", "none") == "none"
    assert store.add("a", "other") is False and store.get("a") == "<li>A</li>"

    later = time.time() + 2
    monkeypatch.setattr("digikunta.core.cache.time.time", lambda: later)
    assert store.get("c") is None
    assert store.add("c", "again") is True


def test_it_refuses_what_a_reader_could_change(store):
    with pytest.raises(TypeError):
        store.set("parts", {"head": "<h1>"})


def test_the_oldest_read_goes_first_when_full(settings, store):
    for i in range(store._max_entries + 1):
        store.set(f"k{i}", str(i))
    assert len(store._cache) <= store._max_entries
    assert store.get(f"k{store._max_entries}") == str(store._max_entries)
