"""Streaming CSV for the public exports: one line at a time, never the whole file in memory.

Text that a spreadsheet would read as a formula (=, +, -, @, a tab or a carriage return first)
gets a leading apostrophe, as OWASP advises against CSV injection: a title written as
=HYPERLINK(…) must open in Excel as the text it is (ASVS 5.3.1, docs/security.md).
"""

import csv
from collections.abc import Iterable, Iterator


class _Echo:
    """A file-like object whose write() hands the line back to the caller."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_cell(value: object) -> object:
    """A value as a spreadsheet shows it: text never starts a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[dict], fields: list[str]) -> Iterator[str]:
    """The header, then one CSV line per row."""
    writer = csv.DictWriter(_Echo(), fieldnames=fields)
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({name: as_cell(value) for name, value in row.items()})
