"""Registering a kind of content: a few lines, checked when they are wrong."""

from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured

from digikunta.experiments.models import Experiment, JournalEntry
from digikunta.moderation import registry


def test_journal_entries_are_registered_by_their_app():
    entry = registry.entry_of_kind("journal_entry")
    assert entry is not None and entry.model is JournalEntry
    assert registry.entry_for(JournalEntry) is entry
    assert registry.entry_for(JournalEntry()) is entry


def test_only_a_moderated_model_can_be_registered():
    with pytest.raises(ImproperlyConfigured, match="Moderated"):
        registry.register(Experiment, author=str, title=str, url=str)


def test_a_kind_is_taken_once(monkeypatch):
    taken = replace(registry.entry_of_kind("journal_entry"), model=Experiment)
    monkeypatch.setattr(registry, "_by_kind", {"journal_entry": taken})
    monkeypatch.setattr(registry, "_by_model", {})
    with pytest.raises(ImproperlyConfigured, match="journal_entry"):
        registry.register(JournalEntry, kind="journal_entry", author=str, title=str, url=str)


def test_the_kind_defaults_to_the_models_name(monkeypatch):
    monkeypatch.setattr(registry, "_by_kind", {})
    monkeypatch.setattr(registry, "_by_model", {})
    registry.register(JournalEntry, author=str, title=str, url=str)
    assert registry.entry_of_kind("journalentry").model is JournalEntry
