"""Public decisions never name an experiment the reader may not see (issue 8): the call page,
the CSV and JSON exports and the API show "Experiment not public" and no link instead."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Status, Visibility
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import selectors, services
from digikunta.funding.tests.factories import CallFactory, reviewed
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SECRET = "Salainen sotesiiltojen purku"
HIDDEN = "Experiment not public"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def helsinki():
    return Organisation.objects.get(slug="helsinki")


@pytest.fixture
def lead(helsinki):
    user = UserFactory(name="Liisa Kehittäjä")
    MembershipFactory(organisation=helsinki, user=user)
    return user


@pytest.fixture
def call():
    return CallFactory(reviewers_per_application=1)


@pytest.fixture
def rejected(call, helsinki, lead, coordinator):
    experiment = ExperimentFactory(
        owner=helsinki, title=SECRET, status=Status.RUNNING, visibility=Visibility.MEMBERS
    )
    application = services.application_create(call=call, experiment=experiment, by=lead)
    services.application_save(
        application=application,
        by=lead,
        summary="Puretaan siiloja.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Työpajat", Decimal("8000"))],
        answers={call.questions.first().pk: "Opimme yhteistyöstä."},
    )
    services.application_submit(application=application, by=lead)
    reviewed(application)
    services.decision_make(
        application=application, by=coordinator, outcome="rejected", reasoning="Ei tähän hakuun."
    )
    return application


def pages(client, call, **headers):
    """What the reader gets from the call page, both exports and the API."""
    page = client.get(f"/en/funding/{call.slug}/").content.decode()
    exported = json.loads(
        b"".join(client.get(f"/en/funding/{call.slug}/decisions.json").streaming_content)
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(f"/en/funding/{call.slug}/decisions.csv").streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    api = client.get(
        f"/api/v1/calls/{call.pk}/decisions", HTTP_ACCEPT_LANGUAGE="en", **headers
    ).json()
    return page, exported[0], rows[0], api[0]


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_rejected_members_only_experiment_title_is_not_public(client, rejected, outsider, who):
    headers = {}
    if who == "outsider":
        client.force_login(outsider)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=outsider, name='t')[1]}"}

    page, exported, row, api = pages(client, rejected.call, **headers)

    experiment = rejected.experiment
    for text in (page, str(exported), str(row), str(api)):
        assert SECRET not in text and experiment.slug not in text
    assert HIDDEN in page
    assert exported["experiment"] == row["experiment"] == api["experiment"] == HIDDEN
    assert exported["experiment_url"] == row["experiment_url"] == ""
    assert exported["decision"] == "rejected" and api["applicant"] == "helsinki"


def test_members_see_their_members_only_experiment_in_the_decisions(client, rejected, lead):
    client.force_login(lead)
    token = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=lead, name='t')[1]}"}

    page, exported, row, api = pages(client, rejected.call, **token)

    assert SECRET in page and f"/en/experiments/{rejected.experiment.slug}/" in page
    assert exported["experiment"] == row["experiment"] == api["experiment"] == SECRET
    assert (
        exported["experiment_url"]
        == f"http://testserver/en/experiments/{rejected.experiment.slug}/"
    )


def test_the_cached_anonymous_call_page_never_names_it(client, rejected, lead):
    """A member's visit renders the title; the anonymous page, cached for everyone, does not."""
    anonymous = client.get(f"/en/funding/{rejected.call.slug}/").content.decode()
    client.force_login(lead)
    assert SECRET in client.get(f"/en/funding/{rejected.call.slug}/").content.decode()
    client.logout()
    client.cookies.clear()
    again = client.get(f"/en/funding/{rejected.call.slug}/").content.decode()
    assert SECRET not in anonymous and SECRET not in again


def test_the_decisions_cost_the_same_queries_for_one_row_or_many(
    call, rejected, helsinki, lead, coordinator, outsider
):

    one = _queries(call, outsider)
    for n in range(2):
        experiment = ExperimentFactory(
            owner=helsinki,
            status=Status.RUNNING,
            visibility=Visibility.MEMBERS if n else Visibility.PUBLIC,
        )
        application = services.application_create(call=call, experiment=experiment, by=lead)
        services.application_save(
            application=application,
            by=lead,
            summary="Kokeilu.",
            own_contribution=Decimal("2000"),
            budget_lines=[("Työ", Decimal("8000"))],
            answers={call.questions.first().pk: "Opimme."},
        )
        services.application_submit(application=application, by=lead)
        reviewed(application)
        services.decision_make(
            application=application, by=coordinator, outcome="rejected", reasoning="Ei."
        )

    assert _queries(call, outsider) == one
    rows = selectors.decided(call, outsider)
    assert [row.experiment_visible for row in rows].count(False) == 2


def _queries(call, viewer):
    viewer.__dict__.pop("_platform_roles", None)  # a new request: its memos start empty
    viewer.__dict__.pop("_organisation_roles", None)
    viewer.__dict__.pop("_team_roles", None)
    with CaptureQueriesContext(connection) as captured:
        shown = [
            (row.experiment_title, row.experiment_url, row.application.applicant.display_name)
            for row in selectors.decided(call, viewer)
        ]
    assert shown
    return len(captured)
