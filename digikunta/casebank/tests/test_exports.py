"""The case bank's exports open in Finnish Excel (issue 10): CSV with a byte-order mark and
ISO dates, names in the reader's language beside the codes, and the same table as .xlsx."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from digikunta.casebank.views import EXPORT_FIELDS
from digikunta.experiments.models import Theme
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def experiment(reference_data):
    experiment = ExperimentFactory(
        title='=HYPERLINK("http://evil")',  # a formula in the data stays text
        status="ended",
        outcome="partly",
        results="Jonot lyhenivät.",
        starts_on=date(2026, 3, 1),
    )
    experiment.municipalities.add(Municipality.objects.get(code="091"))
    experiment.themes.add(Theme.objects.get(slug="e-services"))
    return experiment


def test_the_csv_has_a_byte_order_mark_names_beside_codes_and_iso_dates(client, experiment):
    raw = b"".join(client.get("/sv/casebank/export.csv").streaming_content)

    assert raw.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    [row] = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert (row["municipalities"], row["municipality_names"]) == ("091", "Helsingfors")
    assert row["themes"] == "e-services" and row["theme_names"] == str(
        Theme.objects.get(slug="e-services").name_sv
    )
    assert (row["status"], row["status_label"]) == ("ended", "avslutad")
    assert row["outcome"] == "partly" and row["outcome_label"]
    assert row["starts_on"] == "2026-03-01"
    assert row["title"].startswith("'=")


def test_the_names_follow_the_readers_language(client, experiment):
    raw = b"".join(client.get("/fi/casebank/export.csv").streaming_content)
    [row] = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert row["municipality_names"] == "Helsinki" and row["status_label"] == "päättynyt"


def test_the_same_table_as_an_excel_workbook(client, experiment):
    response = client.get("/fi/casebank/export.xlsx", {"status": "ended"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="digikunta-casebank.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    assert list(header) == EXPORT_FIELDS
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["municipality_names"] == "Helsinki" and values["id"] == experiment.pk
    assert values["starts_on"].date() == date(2026, 3, 1)  # a date, not text
    assert values["title"].startswith("'=")


def test_an_export_with_a_bad_filter_is_a_400(client):
    assert client.get("/fi/casebank/export.xlsx", {"status": "party"}).status_code == 400
