"""Record numbers (diaarinumerot) for what the platform registers: decisions, proposals.

A number reads ``DK/2026/000123``: the series, the year and a running number that starts from 1
each year. The next number is taken with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
statement, which PostgreSQL and SQLite both run atomically: two requests at the same moment
never get the same number, and a transaction that rolls back gives its number back, so the
numbers have no gaps. The counter row stays locked until the caller's transaction ends; call
this last, just before writing the numbered row.
"""

from django.db import connection
from django.utils import timezone

from digikunta.core.models import RecordCounter

SERIES = "DK"


def next_record_number(series: str = SERIES, *, year: int | None = None) -> str:
    """The next number in ``series`` for ``year`` (this year in Finnish time by default)."""
    year = year or timezone.localdate().year
    table = connection.ops.quote_name(RecordCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, year, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (series, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [series, year],
        )
        (number,) = cursor.fetchone()
    return f"{series}/{year}/{number:06d}"
