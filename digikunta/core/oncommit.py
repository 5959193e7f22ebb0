"""Work that a transaction's writes call for, gathered into one callback run after its commit."""

from collections.abc import Iterable
from typing import TypeVar

from django.db import transaction


class AfterCommit:
    """An on_commit callback holding the items its transaction's writes added: subclasses say
    what to do with them (``run``). One callback per kind and savepoint, so an import of
    10,000 rows does the work once, and a rolled-back savepoint drops its own items."""

    def __init__(self) -> None:
        self.items: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        self.run(sorted(self.items))

    def run(self, items: list[str]) -> None:
        raise NotImplementedError


C = TypeVar("C", bound=AfterCommit)


def after_commit(kind: type[C], items: Iterable[str], using: str) -> None:
    """Add ``items`` to this savepoint's callback of ``kind``, registering one if needed.
    Outside a transaction the callback runs at once."""
    items = {item for item in items if item}
    if not items:
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        # Joined with the callback of the same savepoint only: a rolled-back savepoint drops
        # its own callback, and with it the items of its writes.
        savepoints = set(connection.savepoint_ids)
        for savepoints_then, callback, _robust in connection.run_on_commit:
            # A callback already run (tests run them without a commit) takes no more items.
            if isinstance(callback, kind) and not callback.done and savepoints_then == savepoints:
                callback.items.update(items)
                return
    callback = kind()
    callback.items.update(items)
    transaction.on_commit(callback, using=using, robust=True)
