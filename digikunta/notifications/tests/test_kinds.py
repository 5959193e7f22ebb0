"""The registry of kinds (no database) and the layer notifications sits in."""

import ast
from pathlib import Path

import pytest
from django.utils.translation import gettext_lazy

from digikunta.notifications import kinds
from digikunta.notifications.tokens import read_unsubscribe_token, unsubscribe_token

APP = Path(__file__).resolve().parents[1]
# What notifications may import of ours: it is above core and accounts, below every app that
# sends notifications (docs/architecture.md).
BELOW = {"core", "accounts", "notifications"}


def kind(key="test_registry", **fields):
    return kinds.Kind(
        key=key, label=gettext_lazy("Test"), description=gettext_lazy("Test"), **fields
    )


@pytest.fixture
def clean_registry():
    yield
    for key in ("test_registry", "test_other"):
        kinds.unregister(key)


def test_registered_kinds_are_found_in_the_order_registered(clean_registry):
    first = kinds.register(kind())
    second = kinds.register(kind("test_other", default="daily"))
    assert kinds.get("test_registry") is first
    assert kinds.find("test_nothing") is None
    keys = [known.key for known in kinds.registered()]
    assert keys.index("test_registry") < keys.index("test_other")
    assert second.default == "daily"
    with pytest.raises(LookupError):
        kinds.get("test_nothing")


def test_registering_again_is_harmless_but_a_second_kind_under_a_key_is_refused(clean_registry):
    kinds.register(kind())
    kinds.register(kind())
    with pytest.raises(ValueError, match="Another kind"):
        kinds.register(kind(default="off"))


@pytest.mark.parametrize("key", ["all", "Has-Capitals", "", "x" * 51])
def test_a_key_is_a_short_identifier_other_than_all(key):
    with pytest.raises(ValueError):
        kinds.register(kind(key))


def test_a_default_is_a_frequency():
    with pytest.raises(ValueError):
        kinds.register(kind(default="weekly"))


def test_a_token_reads_back_and_anything_else_is_refused():
    token = unsubscribe_token(42, "comment_reply")
    assert read_unsubscribe_token(token) == (42, "comment_reply")
    assert read_unsubscribe_token(token + "x") is None
    assert read_unsubscribe_token("nonsense") is None


def test_notifications_imports_no_app_above_it():
    found = set()
    for path in APP.rglob("*.py"):
        if "tests" in path.relative_to(APP).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {n.split(".")[1] for n in names if n.startswith("digikunta.")}
    assert found <= BELOW, found - BELOW


def test_a_link_signed_with_the_previous_key_still_works_while_it_is_a_fallback(settings):
    token = unsubscribe_token(42, kinds.ALL)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "n" * 40
    assert read_unsubscribe_token(token) is None
    settings.SECRET_KEY_FALLBACKS = [old]
    assert read_unsubscribe_token(token) == (42, kinds.ALL)
