"""Moderation sits below the content it moderates: it knows journal entries, comments and
ideas only through its registry (ADR 0020), so it imports none of their apps."""

from pathlib import Path

from digikunta.core.tests.test_layering import PACKAGE, app_of, imports_of, sources

# What moderation builds on (docs/architecture.md, layering rules).
BELOW = {"core", "accounts", "audit"}


def test_moderation_imports_only_the_apps_below_it():
    found = sorted(
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in sources(PACKAGE / "moderation")
        for module in imports_of(path)
        if module.startswith("digikunta.") and app_of(module) not in BELOW | {"moderation"}
    )
    assert found == []


def test_the_check_sees_an_import_of_an_app_above(tmp_path: Path):
    module = tmp_path / "views.py"
    module.write_text("from digikunta.experiments.models import JournalEntry\n")
    assert {app_of(m) for m in imports_of(module)} == {"experiments"}
