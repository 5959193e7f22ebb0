"""A decision's basis stays put (issue 8): submitted reviews and their scores are never deleted
or changed, by the reviewer, the coordinator, the API or the admin, and submitting twice is a
repeat, not a change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone, translation

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import (
    Application,
    ApplicationStatus,
    Criterion,
    Decision,
    ReviewAssignment,
    Score,
)
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

A_WEEK_AGO = timezone.now() - timedelta(days=7)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def call():
    return CallFactory(reviewers_per_application=1)


@pytest.fixture
def lead():
    user = UserFactory(name="Liisa Kehittäjä")
    MembershipFactory(organisation=Organisation.objects.get(slug="helsinki"), user=user)
    return user


@pytest.fixture
def application(call, lead):
    experiment = ExperimentFactory(
        owner=Organisation.objects.get(slug="helsinki"), status=Status.RUNNING
    )
    application = services.application_create(call=call, experiment=experiment, by=lead)
    services.application_save(
        application=application,
        by=lead,
        summary="Kokeilemme tilojen varaamista verkossa.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Ovien etäavaus", Decimal("8000"))],
        answers={call.questions.first().pk: "Opimme, miksi tiloja ei varata."},
    )
    return services.application_submit(application=application, by=lead)


@pytest.fixture
def reviewer():
    return UserFactory(name="Arto Arvioija", roles=[PlatformRole.REVIEWER], totp=True)


@pytest.fixture
def assignment(application, reviewer, coordinator):
    [assignment] = services.reviewers_assign(
        application=application, reviewers=[reviewer], by=coordinator
    )
    return assignment


def scores_of(assignment, value=4, comment="Perustelu."):
    return {c.pk: (value, comment) for c in assignment.application.call.criteria.all()}


@pytest.fixture
def submitted_review(assignment, reviewer):
    services.scores_save(assignment=assignment, by=reviewer, scores=scores_of(assignment))
    services.review_submit(assignment=assignment, by=reviewer)
    # As if submitted a week ago: a repeat today must not move the time.
    ReviewAssignment.objects.filter(pk=assignment.pk).update(submitted_at=A_WEEK_AGO)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def rejected(application, submitted_review, coordinator):
    services.decision_make(
        application=application, by=coordinator, outcome="rejected", reasoning="Ei kiireellinen."
    )
    return application


def review_form(assignment, value="4", comment="Perustelu.", **extra):
    form = {"general_comment": "", **extra}
    for criterion in assignment.application.call.criteria.all():
        form[f"score_{criterion.pk}"] = value
        form[f"comment_{criterion.pk}"] = comment
    return form


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


# --- Declaring a conflict -------------------------------------------------------------------


def test_conflict_after_submission_keeps_the_scores(rejected, submitted_review, reviewer):
    with pytest.raises(ValidationError, match="Tell the coordinator"):
        services.conflict_declare(
            assignment=submitted_review, by=reviewer, reason="Entinen työtoveri."
        )

    submitted_review.refresh_from_db()
    assert not submitted_review.conflict_of_interest
    assert submitted_review.submitted_at == A_WEEK_AGO
    assert submitted_review.scores.count() == 2


def test_conflict_after_submission_is_refused_on_the_page_with_the_scores_kept(
    client, application, submitted_review, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        submitted_review.get_absolute_url(),
        {"conflict": "1", "conflict_reason": "Entinen työtoveri."},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "so it stays part of the decision&#x27;s basis" in page
    submitted_review.refresh_from_db()
    assert not submitted_review.conflict_of_interest
    assert submitted_review.scores.count() == 2
    assert application.assignments.filter(submitted_at__isnull=False).count() == 1


def test_conflict_before_submission_still_drops_the_draft_scores(assignment, reviewer):
    services.scores_save(assignment=assignment, by=reviewer, scores=scores_of(assignment))

    services.conflict_declare(assignment=assignment, by=reviewer, reason="Entinen työtoveri.")

    assignment.refresh_from_db()
    assert assignment.conflict_of_interest and not assignment.scores.exists()


# --- Deleting and changing ------------------------------------------------------------------


def test_decided_application_scores_cannot_be_deleted(rejected, submitted_review):
    criterion = Criterion.objects.filter(call=rejected.call).first()

    for deletion in (rejected.delete, submitted_review.delete, criterion.delete):
        with pytest.raises(ProtectedError):
            deletion()

    assert Score.objects.filter(assignment=submitted_review).count() == 2
    assert Decision.objects.filter(application=rejected).exists()


def test_editing_the_criteria_after_scoring_is_refused_and_keeps_the_scores(
    call, submitted_review, coordinator
):
    with pytest.raises(ValidationError, match="criteria can no longer change"):
        services.call_save(
            by=coordinator, call=call, criteria=[{"name": "Uusi peruste", "weight": 1}]
        )

    assert [c.name for c in call.criteria.all()] == ["Vaikuttavuus", "Toteutettavuus"]
    assert Score.objects.filter(assignment=submitted_review).count() == 2


def test_saving_a_call_with_the_same_criteria_keeps_the_scores(call, submitted_review, coordinator):
    same = [{"name": c.name, "name_sv": c.name_sv, "weight": c.weight} for c in call.criteria.all()]

    services.call_save(by=coordinator, call=call, criteria=same, description="Uusi kuvaus.")

    call.refresh_from_db()
    assert call.description == "Uusi kuvaus."
    assert Score.objects.filter(assignment=submitted_review).count() == 2


def test_score_saves_after_submission_are_refused(submitted_review, reviewer):
    with pytest.raises(ValidationError, match="can no longer change"):
        services.scores_save(
            assignment=submitted_review, by=reviewer, scores=scores_of(submitted_review, 1)
        )
    with pytest.raises(ValidationError, match="can no longer change"):
        services.scores_save(
            assignment=submitted_review,
            by=reviewer,
            scores=dict.fromkeys(scores_of(submitted_review), (None, "")),
        )

    assert set(Score.objects.values_list("value", flat=True)) == {4}


def test_a_changed_score_after_submission_is_refused_on_the_page_and_the_api(
    client, submitted_review, reviewer
):
    client.force_login(reviewer)
    page = client.post(
        submitted_review.get_absolute_url(), review_form(submitted_review, "1", submit="1")
    )
    assert page.status_code == 422
    assert "This review has been submitted and can no longer change." in page.content.decode()

    api = client.put(
        f"/api/v1/reviews/{submitted_review.pk}",
        {"scores": [{"criterion": c, "value": 1} for c in scores_of(submitted_review)]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(reviewer),
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["message"] == (
        "This review has been submitted and can no longer change."
    )
    assert set(Score.objects.values_list("value", flat=True)) == {4}


def test_scoring_an_unsubmitted_review_after_the_decision_is_refused(
    application, coordinator, reviewer
):
    late = UserFactory(name="Myöhäinen", roles=[PlatformRole.REVIEWER], totp=True)
    services.reviewers_assign(application=application, reviewers=[reviewer, late], by=coordinator)
    first = application.assignments.get(reviewer=reviewer)
    services.scores_save(assignment=first, by=reviewer, scores=scores_of(first))
    services.review_submit(assignment=first, by=reviewer)
    services.decision_make(
        application=application, by=coordinator, outcome="rejected", reasoning="Ei kiireellinen."
    )
    second = application.assignments.get(reviewer=late)

    with pytest.raises(ValidationError, match="Reviewing has ended"):
        services.scores_save(assignment=second, by=late, scores=scores_of(second))
    with pytest.raises(ValidationError, match="Reviewing has ended"):
        services.review_submit(assignment=second, by=late)
    assert not second.scores.exists()


# --- Submitting twice -----------------------------------------------------------------------


def test_submitting_a_review_twice_keeps_the_first_time(submitted_review, reviewer):
    again = services.review_submit(assignment=submitted_review, by=reviewer)

    assert again.submitted_at == A_WEEK_AGO
    submitted_review.refresh_from_db()
    assert submitted_review.submitted_at == A_WEEK_AGO


def test_submitting_a_review_twice_on_the_page_succeeds_and_keeps_the_first_time(
    client, submitted_review, reviewer
):
    client.force_login(reviewer)

    response = client.post(
        submitted_review.get_absolute_url(), review_form(submitted_review, submit="1")
    )

    assert response.status_code == 302
    submitted_review.refresh_from_db()
    assert submitted_review.submitted_at == A_WEEK_AGO
    page = client.get(response["Location"]).content.decode()
    assert "Your review was submitted." in page


def test_submitting_a_review_twice_through_the_api_succeeds_and_keeps_the_first_time(
    client, submitted_review, reviewer
):
    scores = [
        {"criterion": c, "value": v, "comment": t}
        for c, (v, t) in scores_of(submitted_review).items()
    ]
    for payload in ({"submit": True}, {"scores": scores, "submit": True}):
        response = client.put(
            f"/api/v1/reviews/{submitted_review.pk}",
            payload,
            content_type="application/json",
            **auth(reviewer),
        )
        assert response.status_code == 200, response.content
        assert response.json()["submitted_at"].startswith(A_WEEK_AGO.isoformat()[:19])
    submitted_review.refresh_from_db()
    assert submitted_review.submitted_at == A_WEEK_AGO


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def site_admin():
    return UserFactory(is_staff=True, is_superuser=True, totp=True)


def test_the_admin_cannot_delete_a_submitted_application_or_any_decision(
    client, site_admin, rejected, lead
):
    draft = services.application_create(
        call=rejected.call,
        experiment=ExperimentFactory(owner=rejected.applicant),
        by=lead,
    )
    decision = rejected.decisions.get()
    client.force_login(site_admin)

    assert client.get(f"/fi/admin/funding/application/{rejected.pk}/delete/").status_code == 403
    assert client.get(f"/fi/admin/funding/decision/{decision.pk}/delete/").status_code == 403
    assert client.get(f"/fi/admin/funding/application/{draft.pk}/delete/").status_code == 200
    changed = client.post(
        f"/fi/admin/funding/application/{rejected.pk}/change/",
        {"status": ApplicationStatus.IN_REVIEW, "summary": "Muutettu.", "language": "fi"},
    )
    assert changed.status_code in {200, 302}
    rejected.refresh_from_db()
    assert rejected.status == ApplicationStatus.REJECTED
    assert Application.objects.filter(pk=rejected.pk).exists()
