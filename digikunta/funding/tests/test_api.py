"""The funding API: public calls and decisions, token writes under the pages' rules."""

import pytest

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding.models import Application, ApplicationStatus
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


@pytest.fixture
def call():
    return CallFactory(reviewers_per_application=1)


@pytest.fixture
def lead():
    user = UserFactory(name="Liisa")
    MembershipFactory(organisation=Organisation.objects.get(slug="oulu"), user=user)
    return user


def test_calls_are_public_and_drafts_of_calls_are_not(client, call):
    CallFactory(published=False)
    listing = client.get("/api/v1/calls").json()
    assert listing["count"] == 1
    detail = client.get(f"/api/v1/calls/{call.pk}").json()
    assert detail["state"] == "open"
    assert [c["weight"] for c in detail["criteria"]] == [2, 1]


def test_a_whole_round_through_the_api(client, call, lead, coordinator):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    question = call.questions.first()
    created = client.post(
        f"/api/v1/calls/{call.pk}/applications",
        {
            "experiment": experiment.pk,
            "summary": "Tilavaraus kirjastoihin.",
            "own_contribution": "2000",
            "budget_lines": [{"description": "Lukot", "amount": "9000"}],
            "answers": {str(question.pk): "Opimme paljon."},
        },
        content_type="application/json",
        **auth(lead),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["requested_amount"] == "7000.00"
    application_id = body["id"]

    submitted = client.post(
        f"/api/v1/applications/{application_id}/submit",
        content_type="application/json",
        **auth(lead),
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    reviewer = UserFactory(roles=[PlatformRole.REVIEWER], totp=True)
    assigned = client.post(
        f"/api/v1/applications/{application_id}/reviewers",
        {"reviewers": [reviewer.pk]},
        content_type="application/json",
        **auth(coordinator),
    )
    assert assigned.status_code == 201
    review_id = assigned.json()[0]
    scores = [{"criterion": c.pk, "value": 4} for c in call.criteria.all()]
    reviewed = client.put(
        f"/api/v1/reviews/{review_id}",
        {"scores": scores, "submit": True},
        content_type="application/json",
        **auth(reviewer),
    )
    assert reviewed.status_code == 200 and reviewed.json()["submitted_at"]

    decided = client.post(
        f"/api/v1/applications/{application_id}/decision",
        {"outcome": "approved", "reasoning": "Hyvä.", "granted_amount": "7000"},
        content_type="application/json",
        **auth(coordinator),
    )
    assert decided.status_code == 201 and decided.json()["status"] == "approved"
    decisions = client.get(f"/api/v1/calls/{call.pk}/decisions").json()
    assert decisions[0]["granted_amount"] == "7000.00"
    assert set(decisions[0]) == {
        "record_number",
        "experiment",
        "applicant",
        "decision",
        "granted_amount",
        "conditions",
        "reasoning",
        "decided_at",
    }  # nothing of the reviewers or their scores


def test_submitting_over_the_maximum_is_refused_in_the_readers_language(client, call, lead):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    created = client.post(
        f"/api/v1/calls/{call.pk}/applications",
        {"experiment": experiment.pk, "budget_lines": [{"description": "X", "amount": "50000"}]},
        content_type="application/json",
        **auth(lead),
    )
    application_id = created.json()["id"]
    refused = client.post(
        f"/api/v1/applications/{application_id}/submit",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(lead),
    )
    assert refused.status_code == 422
    messages = " ".join(e["message"] for e in refused.json()["errors"])
    assert "50000" in messages and "10000" in messages
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_negative_and_non_numeric_sums_are_refused(client, call, lead):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    for amount in ["-5", "paljon"]:
        response = client.post(
            f"/api/v1/calls/{call.pk}/applications",
            {"experiment": experiment.pk, "budget_lines": [{"description": "X", "amount": amount}]},
            content_type="application/json",
            **auth(lead),
        )
        assert response.status_code == 422
    assert not Application.objects.exists()


def test_an_applicant_cannot_decide_or_review(client, call, lead):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    created = client.post(
        f"/api/v1/calls/{call.pk}/applications",
        {"experiment": experiment.pk},
        content_type="application/json",
        **auth(lead),
    ).json()
    decided = client.post(
        f"/api/v1/applications/{created['id']}/decision",
        {"outcome": "approved", "reasoning": "Itse hyväksytty", "granted_amount": "1"},
        content_type="application/json",
        **auth(lead),
    )
    assert decided.status_code == 403
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_outsiders_do_not_see_applications(client, call, lead, outsider):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    created = client.post(
        f"/api/v1/calls/{call.pk}/applications",
        {"experiment": experiment.pk},
        content_type="application/json",
        **auth(lead),
    ).json()
    assert client.get(f"/api/v1/applications/{created['id']}", **auth(outsider)).status_code == 404


def test_an_application_refused_on_its_first_save_leaves_no_draft(client, call, lead):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    response = client.post(
        f"/api/v1/calls/{call.pk}/applications",
        {"experiment": experiment.pk, "version": 7},
        content_type="application/json",
        **auth(lead),
    )
    assert response.status_code == 422
    assert not Application.objects.exists()


@pytest.mark.parametrize("value", ["paljon", "NaN", "1e400", "1" * 30])
def test_a_number_answer_that_is_not_a_number_is_refused(client, call, lead, value):
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="oulu"))
    number = call.questions.get(kind="number")
    response = client.post(
        f"/api/v1/calls/{call.pk}/applications",
        {"experiment": experiment.pk, "answers": {str(number.pk): value}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(lead),
    )
    assert response.status_code == 422
    assert "with a number" in response.json()["errors"][0]["message"]
    assert not Application.objects.exists()
