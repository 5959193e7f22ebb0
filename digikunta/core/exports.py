"""Streaming CSV for the public exports: one line at a time, never the whole file in memory."""

import csv
from collections.abc import Iterable, Iterator


class _Echo:
    """A file-like object whose write() hands the line back to the caller."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict], fields: list[str]) -> Iterator[str]:
    """The header, then one CSV line per row."""
    writer = csv.DictWriter(_Echo(), fieldnames=fields)
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow(row)
