"""schemathesis over every GET operation of the OpenAPI document: no input answers 5xx (issue 8).

In process, through Django's WSGI handler and the test database: no network. Deterministic
(derandomized), and bounded to a few examples per operation so it runs in well under a minute;
schemathesis' coverage phase adds the boundary values (the longest ids and texts, NUL bytes,
numbers past the bounds) on top.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from digikunta.api.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(method="GET")
schema.app = WSGIHandler()


@pytest.fixture
def connection_kept():
    """As Django's test client does: the WSGI handler would close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published(db, connection_kept):
    """Something to find besides 404s: a public experiment with a journal, and a call."""
    from digikunta.experiments.tests.factories import ExperimentFactory
    from digikunta.funding.tests.factories import CallFactory

    experiment = ExperimentFactory()
    experiment.journal.create(body="Kokeilu alkoi.", body_html="<p>Kokeilu alkoi.</p>")
    return experiment, CallFactory()


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_get_answers_a_server_error(case, published):
    # A savepoint per call: on PostgreSQL one failed query would fail every later one.
    with transaction.atomic():
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
