"""Withdrawing an application (issue 10, item 11): the applicant takes it back until a decision
approves or rejects it; it then leaves the coordinator's lists and the reviewers' work.

Who else may try, and what they see, is in test_permissions_matrix ("withdraw").
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from digikunta.accounts.services import token_create
from digikunta.experiments.models import Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import Application, ApplicationStatus, Score
from digikunta.funding.tests.factories import CallFactory, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(reviewers_per_application=1)


@pytest.fixture
def draft(call, organisation, member):
    experiment = ExperimentFactory(
        owner=organisation, title="Etäavattavat kirjastot", status=Status.RUNNING
    )
    experiment.team.create(user=member, role="lead")
    application = services.application_create(call=call, experiment=experiment, by=member)
    return services.application_save(
        application=application,
        by=member,
        summary="Kirjastojen tilat varataan ja avataan verkossa.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Ovien etäavaus", Decimal("8000"))],
        answers={call.questions.first().pk: "Opimme, miksi tiloja ei varata."},
    )


@pytest.fixture
def in_review(draft, member, reviewer, coordinator):
    services.application_submit(application=draft, by=member)
    services.reviewers_assign(application=draft, reviewers=[reviewer], by=coordinator)
    return draft


def withdraw_url(application: Application, language: str = "fi") -> str:
    return f"/{language}/funding/applications/{application.pk}/withdraw/"


def status_of(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


def test_the_applicant_withdraws_an_application_in_review(client, in_review, member):
    client.force_login(member)
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert "Peru hakemus" in page  # the button
    assert "Peruttu" not in page

    response = client.post(withdraw_url(in_review), follow=True)

    assert response.redirect_chain == [(in_review.get_absolute_url(), 302)]
    page = response.content.decode()
    assert "Hakemus peruttiin." in page
    assert "Peruttu" in page  # the status badge
    assert "Peru hakemus" not in page  # nothing left to withdraw
    assert status_of(in_review) == ApplicationStatus.WITHDRAWN
    assert "Peruttu" in client.get("/fi/funding/mine/").content.decode()


def test_a_withdrawn_application_leaves_the_coordinators_lists(
    client, in_review, member, coordinator
):
    call = in_review.call
    client.force_login(coordinator)
    for page in ("applications", "dashboard"):
        assert (
            "Etäavattavat kirjastot"
            in client.get(f"/fi/funding/{call.slug}/{page}/").content.decode()
        )

    client.force_login(member)
    client.post(withdraw_url(in_review))

    client.force_login(coordinator)
    for page in ("applications", "dashboard"):
        listing = client.get(f"/fi/funding/{call.slug}/{page}/").content.decode()
        assert "Etäavattavat kirjastot" not in listing
    # Still on record for the coordinator, but nothing left to assign or decide.
    detail = client.get(in_review.get_absolute_url()).content.decode()
    assert "Peruttu" in detail
    assert 'id="decide-title"' not in detail
    assert f"/applications/{in_review.pk}/reviewers/" not in detail
    refused = client.post(
        f"/fi/funding/applications/{in_review.pk}/decision/",
        {
            "outcome": "returned",
            "reasoning": "Myöhästynyt päätös.",
            "instalments-TOTAL_FORMS": "0",
            "instalments-INITIAL_FORMS": "0",
        },
    )
    assert refused.status_code == 403
    assert status_of(in_review) == ApplicationStatus.WITHDRAWN
    assert not in_review.decisions.exists()


def test_the_assigned_reviewer_can_no_longer_score_it(client, in_review, member, reviewer):
    client.force_login(member)
    client.post(withdraw_url(in_review))
    assignment = in_review.assignments.get(reviewer=reviewer)
    criteria = list(in_review.call.criteria.all())

    client.force_login(reviewer)
    response = client.post(
        f"/en/funding/reviews/{assignment.pk}/",
        {
            "scores": "1",
            "general_comment": "Hyvä",
            **{f"score_{c.pk}": "4" for c in criteria},
            **{f"comment_{c.pk}": "" for c in criteria},
        },
    )
    assert response.status_code == 422
    assert "Reviewing has ended: this application is no longer in review." in (
        response.content.decode()
    )

    token = token_create(user=reviewer, name="t")[1]
    through_api = client.put(
        f"/api/v1/reviews/{assignment.pk}",
        {"scores": [{"criterion": c.pk, "value": 4} for c in criteria], "submit": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    # The reviewer may still open their assignment, not score it: refused, not hidden.
    assert through_api.status_code == 403
    assert not Score.objects.filter(assignment=assignment).exists()
    assert not assignment.submitted_at


@pytest.mark.parametrize("outcome", [ApplicationStatus.APPROVED, ApplicationStatus.REJECTED])
def test_an_approved_or_rejected_application_cannot_be_withdrawn(
    client, in_review, member, coordinator, outcome
):
    reviewed(in_review)
    services.decision_make(
        application=in_review,
        by=coordinator,
        outcome=outcome,
        reasoning="Päätös perusteluineen.",
        granted_amount=Decimal("6000") if outcome == ApplicationStatus.APPROVED else None,
    )
    client.force_login(member)
    assert "Peru hakemus" not in client.get(in_review.get_absolute_url()).content.decode()

    assert client.post(withdraw_url(in_review)).status_code == 403
    assert status_of(in_review) == outcome
    # The service refuses it too, whoever calls it (admin, API, a command).
    with translation.override("fi"), pytest.raises(ValidationError) as refused:
        services.application_withdraw(application=in_review, by=member)
    assert refused.value.messages == ["Hakemusta, josta on tehty päätös, ei voi perua."]
    assert status_of(in_review) == outcome


def test_an_application_returned_for_changes_can_still_be_withdrawn(
    client, in_review, member, coordinator
):
    services.decision_make(
        application=in_review,
        by=coordinator,
        outcome=ApplicationStatus.RETURNED,
        reasoning="Tarkenna budjettia.",
    )
    client.force_login(member)
    assert client.post(withdraw_url(in_review)).status_code == 302
    assert status_of(in_review) == ApplicationStatus.WITHDRAWN
    assert [d.outcome for d in in_review.decisions.all()] == [ApplicationStatus.RETURNED]


def test_a_withdrawn_draft_can_no_longer_be_edited_or_submitted(client, draft, member):
    client.force_login(member)
    assert client.post(withdraw_url(draft)).status_code == 302
    assert status_of(draft) == ApplicationStatus.WITHDRAWN

    assert client.get(f"/fi/funding/applications/{draft.pk}/edit/").status_code == 403
    with pytest.raises(ValidationError):
        services.application_submit(application=draft, by=member)
    assert status_of(draft) == ApplicationStatus.WITHDRAWN


def test_withdrawing_twice_changes_nothing(client, in_review, member):
    client.force_login(member)
    client.post(withdraw_url(in_review))
    updated_at = Application.objects.get(pk=in_review.pk).updated_at

    assert client.post(withdraw_url(in_review)).status_code == 403
    assert Application.objects.get(pk=in_review.pk).updated_at == updated_at


def test_withdrawing_takes_a_post(client, in_review, member):
    client.force_login(member)
    assert client.get(withdraw_url(in_review)).status_code == 405
    assert status_of(in_review) == ApplicationStatus.IN_REVIEW
