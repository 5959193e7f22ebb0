"""Links work where the site runs (issue 10): from the request, else from SITE_URL."""

import csv
import io

import pytest
from django.test import RequestFactory, override_settings

from digikunta.core.links import absolute_url
from digikunta.experiments.tests.factories import ExperimentFactory


@override_settings(SITE_URL="https://digikunta.example.fi")
def test_without_a_request_links_use_site_url():
    assert absolute_url("/fi/casebank/") == "https://digikunta.example.fi/fi/casebank/"


@override_settings(SITE_URL="https://digikunta.example.fi", ALLOWED_HOSTS=["kokeilut.kunta.fi"])
def test_with_a_request_links_use_its_address(rf: RequestFactory):
    request = rf.get("/", HTTP_HOST="kokeilut.kunta.fi", secure=True)
    assert absolute_url("/fi/casebank/", request) == "https://kokeilut.kunta.fi/fi/casebank/"


@pytest.mark.django_db
@override_settings(SITE_URL="https://elsewhere.example.fi", ALLOWED_HOSTS=["kokeilut.kunta.fi"])
def test_the_case_bank_export_links_to_where_it_was_downloaded(client):
    experiment = ExperimentFactory()
    response = client.get("/fi/casebank/export.csv", HTTP_HOST="kokeilut.kunta.fi")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )

    assert rows[0]["url"] == f"http://kokeilut.kunta.fi{experiment.get_absolute_url()}"


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["kokeilut.kunta.fi"])
def test_a_host_django_does_not_allow_gets_no_links(client):
    ExperimentFactory()
    assert client.get("/fi/casebank/export.csv", HTTP_HOST="evil.example").status_code == 400
