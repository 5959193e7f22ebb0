"""The public exports as tables that open in Finnish Excel (issue 10): CSV streamed one line
at a time (UTF-8 with a byte-order mark, ISO dates), the same table as .xlsx (openpyxl), and
JSON. Rows are dicts; a list value is joined with ";".

Text that a spreadsheet would read as a formula (=, +, -, @, a tab or a carriage return first)
gets a leading apostrophe, as OWASP advises against CSV injection: a title written as
=HYPERLINK(…) must open in Excel as the text it is (ASVS 5.3.1, docs/security.md).
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from openpyxl import Workbook

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only after it
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = dict[str, Any]
Response = TypeVar("Response", bound=HttpResponseBase)


class _Echo:
    """A file-like object whose write() hands the line back to the caller."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_cell(value: object) -> object:
    """A value as a spreadsheet shows it: text never starts a formula; numbers and dates stay
    what they are; a list is its items joined with ";"."""
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Row], fields: list[str]) -> Iterator[str]:
    """The header, then one CSV line per row."""
    writer = csv.DictWriter(_Echo(), fieldnames=fields)
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({name: as_cell(value) for name, value in row.items()})


def _in_language(rows: Iterable[Row], language: str | None) -> Iterator[Row]:
    """The rows, made in the reader's language even when the response is streamed after the
    view returned."""
    with translation.override(language):
        yield from rows


def _attachment(response: Response, filename: str) -> Response:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows: Iterable[Row], fields: list[str], filename: str) -> StreamingHttpResponse:
    """``rows`` as a CSV download: a byte-order mark so that Excel reads UTF-8, dates as ISO."""

    def lines() -> Iterator[str]:
        for index, line in enumerate(csv_lines(_in_language(rows, language), fields)):
            yield BOM + line if index == 0 else line

    language = translation.get_language()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{filename}.csv")


def xlsx_response(
    rows: Iterable[Row], fields: list[str], filename: str, *, sheet: str
) -> HttpResponse:
    """The same table as an Excel workbook: one sheet, a header row, dates as dates."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])  # Excel's limit for a sheet's name
    worksheet.append(fields)
    for row in rows:
        worksheet.append([as_cell(row.get(name)) for name in fields])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), f"{filename}.xlsx")


def json_response(rows: Iterable[Row], filename: str) -> StreamingHttpResponse:
    """``rows`` as a JSON array, streamed; dates as ISO."""

    def chunks() -> Iterator[str]:
        yield "["
        for index, row in enumerate(_in_language(rows, language)):
            yield ("," if index else "") + json.dumps(
                row, ensure_ascii=False, cls=DjangoJSONEncoder
            )
        yield "]"

    language = translation.get_language()
    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    return _attachment(response, f"{filename}.json")


def table_response(
    fmt: str, rows: Iterable[Row], fields: list[str], filename: str, *, sheet: str
) -> HttpResponseBase | None:
    """The export in ``fmt`` (csv, xlsx or json), or None for another format."""
    if fmt == "csv":
        return csv_response(rows, fields, filename)
    if fmt == "xlsx":
        return xlsx_response(rows, fields, filename, sheet=sheet)
    if fmt == "json":
        return json_response(rows, filename)
    return None
