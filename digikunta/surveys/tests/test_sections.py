"""A process's page lists its surveys through participation.sections, which never imports
surveys (docs/architecture.md, layering)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digikunta.core.tests.test_layering import PACKAGE, imports_of, sources
from digikunta.participation.tests.factories import ProcessFactory
from digikunta.surveys.models import Response
from digikunta.surveys.sections import process_sections
from digikunta.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_an_open_survey_of_a_process_is_a_section_with_its_count(kuopio):
    process = ProcessFactory(organiser=kuopio)
    survey = SurveyFactory(
        process=process,
        organiser=kuopio,
        title="Puiston kysely",
        closes_at=timezone.now() + timedelta(days=30),
    )
    Response.objects.create(survey=survey)
    found = process_sections(process, AnonymousUser())
    assert len(found) == 1
    section = found[0]
    assert section.title == "Kysely: Puiston kysely"
    assert section.summary.startswith("Avoinna ")
    assert section.summary.endswith(": 1 vastaus.")
    assert section.url == survey.get_absolute_url()
    assert section.link_text == "Vastaa kyselyyn"


def test_a_closed_survey_leads_to_its_results_and_a_draft_only_to_its_runners(kuopio, runner):
    process = ProcessFactory(organiser=kuopio)
    closed = SurveyFactory(
        process=process,
        organiser=kuopio,
        opens_at=timezone.now() - timedelta(days=9),
        closes_at=timezone.now() - timedelta(days=1),
    )
    SurveyFactory(process=process, organiser=kuopio, draft=True)
    found = process_sections(process, AnonymousUser())
    assert [s.url for s in found] == [f"/fi/surveys/{closed.pk}/results/"]
    assert found[0].summary == "Suljettu: 0 vastausta."
    found = process_sections(process, runner)
    assert len(found) == 3  # the closed, the draft and the way to add one
    assert found[-1].url == f"/fi/surveys/new/?process={process.slug}"


def test_the_sections_cost_one_query_whatever_the_number_of_surveys(kuopio):
    process = ProcessFactory(organiser=kuopio)
    SurveyFactory.create_batch(5, process=process, organiser=kuopio)
    with CaptureQueriesContext(connection) as queries:
        found = process_sections(process, AnonymousUser())
    assert len(found) == 5
    assert len(queries) == 1


def test_no_app_below_surveys_imports_it():
    """Only the API's list of routers joins surveys in (and the project's URLs, by name)."""
    importers = [
        str(path.relative_to(PACKAGE))
        for path in sources(PACKAGE)
        if path.relative_to(PACKAGE).parts[0] != "surveys"
        and any(module.startswith("digikunta.surveys") for module in imports_of(path))
    ]
    assert importers == ["api/api.py"]
