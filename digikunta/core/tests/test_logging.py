"""Logs are structured JSON and hold no personal data."""

import json
import logging

import pytest

from digikunta.core.logging import PersonalDataFilter


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="digikunta.request")
    return caplog


@pytest.mark.django_db
def test_request_log_has_the_route_not_the_path_or_query(client, resident, request_log):
    client.force_login(resident)
    client.get(f"/fi/municipalities/?q={resident.email}")
    record = next(r for r in request_log.records if r.name == "digikunta.request")
    assert record.route == "fi/municipalities/"
    assert record.status == 200
    assert record.method == "GET"
    text = json.dumps(record.__dict__, default=str)
    assert resident.email not in text
    assert str(resident.pk) not in str(getattr(record, "user", ""))


def test_personal_data_filter_masks_email_addresses():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "failed for %s", ("maija@example.fi",), None
    )
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "failed for [email]"


def test_log_lines_are_json_objects():
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    record = logging.LogRecord("digikunta.request", logging.INFO, __file__, 1, "request", (), None)
    record.status = 200
    line = json.loads(formatter.format(record))
    assert line["message"] == "request" and line["status"] == 200


def test_request_objects_attached_by_django_are_reduced_to_method_and_route(rf):
    request = rf.get("/fi/municipalities/?q=maija@example.fi")
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None
    )
    record.request = request
    PersonalDataFilter().filter(record)
    assert record.request == "GET -"
