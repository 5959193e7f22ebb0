"""The kinds of notification, registered by the apps that send them (issue 11, item 9).

An app registers each kind once, from its ``AppConfig.ready()`` or from the module its ready()
imports, so every process (web and worker) knows them all::

    IDEA_ANSWERED = register(
        Kind(
            key="idea_answered",
            label=_("Answers to your ideas"),
            description=_("The municipality answers an idea you made or support."),
        )
    )

A person chooses, per kind, immediately, a daily digest or off (``models.Frequency``) on the
settings page, which lists the kinds in the order they were registered. ``default`` applies
until they choose. ``context``, if given, adds to the e-mail templates' context what the
stored ``params`` cannot hold in every language (a stage's label from its code), and is
called under the recipient's language.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrPromise

from digikunta.notifications.models import Frequency

# The unsubscribe token's word for every kind at once (``services.unsubscribe``).
ALL = "all"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class Kind:
    key: str  # "experiment_updates", "idea_answered", "comment_reply", ...
    # StrPromise is django.utils.functional.Promise at run time, gettext_lazy()'s for mypy.
    label: StrPromise  # gettext_lazy, shown on the settings page
    description: StrPromise  # one line: what triggers it
    default: str = "immediately"  # Frequency value when the person chose nothing
    context: Callable[[Params], dict[str, Any]] | None = None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make ``kind`` known; returns it. Registering the same kind again is harmless; another
    kind under a key already taken is a programming error."""
    if not KEY.match(kind.key) or kind.key == ALL:
        raise ValueError(f"A kind's key is a lower-case identifier other than {ALL!r}.")
    if kind.default not in Frequency.values:
        raise ValueError(f"Kind {kind.key}: default must be immediately, daily or off.")
    known = _kinds.get(kind.key)
    if known is not None and known != kind:
        raise ValueError(f"Another kind of notification is registered as {kind.key!r}.")
    _kinds[kind.key] = kind
    return kind


def registered() -> list[Kind]:
    """Every kind, in the order registered."""
    return list(_kinds.values())


def get(key: str) -> Kind:
    """The kind registered as ``key``; LookupError for any other."""
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"No kind of notification is registered as {key!r}.") from None


def find(key: str) -> Kind | None:
    """The kind registered as ``key``, or None (a kind an app no longer registers)."""
    return _kinds.get(key)


def unregister(key: str) -> None:
    """Forget a kind (tests that register their own)."""
    _kinds.pop(key, None)
