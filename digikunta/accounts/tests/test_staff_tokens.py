"""Staff two-factor holds for API tokens, and role changes count from the next request."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.services import role_grant, role_revoke, token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services as funding
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def assigned(coordinator, django_capture_on_commit_callbacks):
    """A submitted application, assigned to a reviewer with TOTP; the reviewer's API token."""
    oulu = Organisation.objects.get(slug="oulu")
    lead = UserFactory()
    MembershipFactory(organisation=oulu, user=lead)
    call = CallFactory(reviewers_per_application=1)
    application = funding.application_create(
        call=call, experiment=ExperimentFactory(owner=oulu), by=lead
    )
    funding.application_save(
        application=application,
        by=lead,
        summary="Tilavaraus kirjastoihin.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Lukot", Decimal("9000"))],
        answers={call.questions.first().pk: "Opimme paljon."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        funding.application_submit(application=application, by=lead)
    reviewer = UserFactory(roles=[PlatformRole.REVIEWER], totp=True)
    [assignment] = funding.reviewers_assign(
        application=application, reviewers=[reviewer], by=coordinator
    )
    return assignment, token_create(user=reviewer, name="arviointi")[1]


def scores_of(assignment):
    criteria = assignment.application.call.criteria.all()
    return {"scores": [{"criterion": c.pk, "value": 4} for c in criteria]}


def test_a_token_issued_before_a_staff_role_is_refused_until_totp_is_set_up(client, resident):
    raw = token_create(user=resident, name="skripti")[1]
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    role_grant(user=resident, role=PlatformRole.REVIEWER)

    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en", **bearer(raw))
    assert response.status_code == 403
    assert "two-factor authentication" in response.json()["detail"]
    # Public reads with the token are refused too, not quietly answered as someone else.
    assert client.get("/api/v1/calls", **bearer(raw)).status_code == 403


def test_a_reviewer_without_totp_neither_reads_nor_scores_through_the_api(client, assigned):
    assignment, raw = assigned
    assignment.reviewer.authenticator_set.all().delete()
    application = assignment.application
    assert client.get(f"/api/v1/applications/{application.pk}", **bearer(raw)).status_code == 403
    response = client.put(
        f"/api/v1/reviews/{assignment.pk}",
        scores_of(assignment),
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403
    assert not assignment.scores.exists()


def test_a_revoked_reviewer_loses_the_api_and_the_review_page_on_the_next_request(client, assigned):
    assignment, raw = assigned
    reviewer, application = assignment.reviewer, assignment.application
    client.force_login(reviewer)
    assert client.get(assignment.get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/applications/{application.pk}", **bearer(raw)).status_code == 200
    assert assignment.get_absolute_url() in client.get("/fi/funding/mine/").content.decode()

    call_command("role", "revoke", reviewer.email, "reviewer", stdout=io.StringIO())

    assert client.get(assignment.get_absolute_url()).status_code == 404
    assert assignment.get_absolute_url() not in client.get("/fi/funding/mine/").content.decode()
    assert client.get(f"/api/v1/applications/{application.pk}", **bearer(raw)).status_code == 404
    response = client.put(
        f"/api/v1/reviews/{assignment.pk}",
        scores_of(assignment),
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 404
    assert not assignment.scores.exists()


def test_a_role_change_is_seen_at_once_by_code_holding_the_person(resident):
    from digikunta.accounts.selectors import user_platform_roles

    assert user_platform_roles(resident) == frozenset()
    role_grant(user=resident, role=PlatformRole.EXPERT)
    assert user_platform_roles(resident) == {PlatformRole.EXPERT}
    role_revoke(user=resident, role=PlatformRole.EXPERT)
    assert user_platform_roles(resident) == frozenset()


def test_a_staff_session_without_totp_reads_the_api_as_a_visitor(client, coordinator):
    hidden = CallFactory(published=False)
    coordinator.authenticator_set.all().delete()
    client.force_login(coordinator)
    ids = [row["id"] for row in client.get("/api/v1/calls").json()["results"]]
    assert hidden.pk not in ids
