"""A number past 64 bits in a form's numeric field is the form's 4xx, not a 500 (issue 8).

Choice fields look the number up (``pk__in`` raises OverflowError on SQLite); integer fields
without a bound pass it on to the database.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from digikunta.experiments.models import Experiment
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory
from digikunta.funding import services
from digikunta.funding.models import Application, ReviewAssignment
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _finnish():
    """Pages in one language, whatever an earlier test's request left active."""
    with translation.override("fi"):
        yield


HUGE = ["99999999999999999999", str(2**63), "-" + str(2**64), "1e400"]


@pytest.fixture
def lead(db):
    from digikunta.accounts.tests.factories import UserFactory

    user = UserFactory(name="Liisa Vetäjä")
    MembershipFactory(organisation=Organisation.objects.get(slug="oulu"), user=user)
    return user


@pytest.fixture
def call(db):
    return CallFactory(reviewers_per_application=1)


def _post(client, url, data):
    client.raise_request_exception = False
    return client.post(url, data)


@pytest.mark.parametrize("number", HUGE)
def test_an_owner_past_64_bits_on_a_new_experiment_is_the_forms_422(client, lead, number):
    client.force_login(lead)
    response = _post(
        client,
        reverse("experiments:experiment_create"),
        {"owner": number, "title": "Etäkokoukset", "summary": "Kokeillaan.", "language": "fi"},
    )
    assert response.status_code == 422
    assert "owner" in response.context["form"].errors
    assert not Experiment.objects.exists()


@pytest.mark.parametrize("number", HUGE)
def test_an_experiment_past_64_bits_when_applying_is_refused(client, lead, call, number):
    client.force_login(lead)
    response = _post(
        client,
        reverse("funding:application_start", args=[call.slug]),
        {"experiment": number, "applicant": number, "title": "Uusi"},
    )
    assert response.status_code in {302, 422}
    assert not Application.objects.exists()


@pytest.mark.parametrize("number", HUGE)
def test_a_reviewer_past_64_bits_is_refused_with_a_message(client, lead, call, coordinator, number):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    application = services.application_create(call=call, by=lead, experiment=experiment)
    question = call.questions.first()
    services.application_save(
        application=application,
        by=lead,
        summary="Tilavaraus.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Lukot", Decimal("9000"))],
        answers={question.pk: "Opimme."},
    )
    services.application_submit(application=application, by=lead)
    client.force_login(coordinator)
    response = _post(
        client, reverse("funding:reviewers_assign", args=[application.pk]), {"reviewers": number}
    )
    assert response.status_code == 302
    assert not ReviewAssignment.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert translation.gettext("Choose at least one reviewer.") in page


@pytest.mark.parametrize("number", HUGE)
def test_a_version_past_64_bits_on_an_application_is_refused(client, lead, call, number):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    application = services.application_create(call=call, by=lead, experiment=experiment)
    client.force_login(lead)
    response = _post(
        client,
        reverse("funding:application_edit", args=[application.pk]),
        {"version": number, "summary": "Muutettu."},
    )
    assert response.status_code < 500
    application.refresh_from_db()
    assert application.summary != "Muutettu."


@pytest.mark.parametrize("number", HUGE)
def test_a_measurement_past_the_limit_is_the_forms_4xx(client, lead, number):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    TeamMemberFactory(experiment=experiment, user=lead)
    indicator = experiment.indicators.create(name="Varaukset", unit="kpl", baseline=1, target=2)
    client.force_login(lead)
    response = _post(
        client,
        reverse("experiments:measurement_create", args=[experiment.slug, indicator.pk]),
        {"measured_on": "2026-01-15", "value": number},
    )
    assert response.status_code < 500
    assert not indicator.measurements.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/fi/funding/applications/99999999999999999999/",
        "/fi/funding/reviews/99999999999999999999/",
        "/fi/organisations/oulu/members/99999999999999999999/",
        "/fi/experiments/x/steps/99999999999999999999/edit/",
    ],
)
def test_an_id_past_64_bits_in_an_address_is_not_found(client, lead, url):
    client.force_login(lead)
    client.raise_request_exception = False
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
