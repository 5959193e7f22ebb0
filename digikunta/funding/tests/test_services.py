"""The accelerator's rules: applying, submitting, reviewing, deciding, paying and reporting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Status, Visibility
from digikunta.experiments.tests.factories import ExperimentFactory, IndicatorFactory
from digikunta.funding import selectors, services
from digikunta.funding.models import (
    Application,
    ApplicationStatus,
    InstalmentTrigger,
    ReportKind,
    Score,
)
from digikunta.funding.tests.factories import CallFactory, reviewed
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (source text); fi and sv are tested elsewhere."""
    with translation.override("en"):
        yield


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def helsinki():
    return Organisation.objects.get(slug="helsinki")


@pytest.fixture
def lead(helsinki):
    user = UserFactory(name="Liisa Kehittäjä")
    MembershipFactory(organisation=helsinki, user=user)
    return user


@pytest.fixture
def experiment(helsinki, lead):
    experiment = ExperimentFactory(owner=helsinki, status=Status.RUNNING, created_by=lead)
    experiment.team.create(user=lead, role="lead")
    return experiment


@pytest.fixture
def draft(call, experiment, lead):
    return services.application_create(call=call, experiment=experiment, by=lead)


def complete(application, lead, *, costs="8000", own="2000"):
    questions = list(application.call.questions.all())
    return services.application_save(
        application=application,
        by=lead,
        summary="Kokeilemme tilojen varaamista verkossa kolmessa kirjastossa.",
        own_contribution=Decimal(own),
        budget_lines=[("Ovien etäavaus", Decimal(costs))],
        answers={questions[0].pk: "Opimme, miksi kuntalaiset eivät varaa tiloja."},
    )


def reviewer_named(name):
    return UserFactory(name=name, roles=[PlatformRole.REVIEWER], totp=True)


def score_and_submit(application, reviewer, values):
    assignment = application.assignments.get(reviewer=reviewer)
    criteria = list(application.call.criteria.all())
    services.scores_save(
        assignment=assignment,
        by=reviewer,
        scores={c.pk: (v, "Perustelu.") for c, v in zip(criteria, values, strict=True)},
    )
    return services.review_submit(assignment=assignment, by=reviewer)


def test_a_complete_application_is_submitted_and_acknowledged(
    draft, lead, django_capture_on_commit_callbacks
):
    complete(draft, lead)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # the receipt goes after the commit
        services.application_submit(application=draft, by=lead)

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert draft.requested_amount == Decimal("6000")
    [receipt] = [m for m in mail.outbox if m.to == [lead.email]]
    assert draft.experiment.title in receipt.body
    assert f"/fi/funding/applications/{draft.pk}/" in receipt.body  # in the lead's language


def test_submission_lists_everything_to_fix(draft, lead):
    services.application_save(
        application=draft,
        by=lead,
        summary="",
        own_contribution=Decimal("0"),
        budget_lines=[("Laitteet", Decimal("15000"))],
    )

    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=draft, by=lead)

    messages = " ".join(refused.value.messages)
    assert "what the money is for" in messages
    assert "15000" in messages and "10000" in messages  # over the maximum, both sums named
    assert "20 %" in messages  # own contribution rule
    assert "Mitä opitte" in messages  # the unanswered required question, by name
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_late_submission_is_refused(draft, lead, call):
    complete(draft, lead)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()

    with pytest.raises(ValidationError, match="late applications are not accepted"):
        services.application_submit(application=draft, by=lead)


def test_negative_costs_are_refused_and_nothing_changes(draft, lead):
    complete(draft, lead)
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.application_save(
            application=draft, by=lead, budget_lines=[("Palautus", Decimal("-500"))]
        )
    assert [line.amount for line in draft.budget_lines.all()] == [Decimal("8000")]


def test_one_application_per_experiment_per_call(draft, call, experiment, lead):
    with pytest.raises(ValidationError, match="already has an application"):
        services.application_create(call=call, experiment=experiment, by=lead)


def test_a_stale_draft_save_is_refused(draft, lead):
    loaded = draft.version
    services.application_save(application=draft, by=lead, version=loaded, summary="Ensimmäinen")

    with pytest.raises(ValidationError, match="Someone else saved"):
        services.application_save(application=draft, by=lead, version=loaded, summary="Toinen")
    draft.refresh_from_db()
    assert draft.summary == "Ensimmäinen"


def test_ineligible_organisation_types_and_regions_are_told_why(call, lead, experiment):
    call.eligible_kinds = ["association"]
    call.save()
    with pytest.raises(ValidationError, match="organisation types only"):
        services.application_create(call=call, experiment=experiment, by=lead)

    call.eligible_kinds = []
    call.save()
    call.eligible_regions.set(["15"])  # Ostrobothnia; Helsinki is in Uusimaa
    with pytest.raises(ValidationError, match="these regions only"):
        services.application_create(call=call, experiment=experiment, by=lead)


def test_applying_with_a_new_experiment_in_the_same_step(call, helsinki, lead):
    application = services.application_create(
        call=call,
        by=lead,
        applicant=helsinki,
        new_experiment={"title": "Kirjastojen tilavaraus", "summary": "Varaa ja avaa ovi."},
    )
    assert application.experiment.title == "Kirjastojen tilavaraus"
    assert application.experiment.owner == helsinki


def test_a_reviewer_of_the_applicant_organisation_cannot_be_assigned(draft, lead, coordinator):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    insider = reviewer_named("Sisäpiiri")
    MembershipFactory(organisation=draft.applicant, user=insider)

    with pytest.raises(ValidationError, match="belongs to the applicant organisation"):
        services.reviewers_assign(application=draft, reviewers=[insider], by=coordinator)
    assert not draft.assignments.exists()


def test_weighted_totals_spread_and_the_funding_suggestion(call, coordinator):
    applications = []
    for n, costs in enumerate(["9000", "9000", "9000"]):
        user = UserFactory()
        organisation = Organisation.objects.get(slug=["espoo", "vantaa", "kauniainen"][n])
        MembershipFactory(organisation=organisation, user=user)
        experiment = ExperimentFactory(owner=organisation)
        application = services.application_create(call=call, experiment=experiment, by=user)
        complete(application, user, costs=costs, own="2000")  # asks 7000
        services.application_submit(application=application, by=user)
        applications.append(application)
    first, second = reviewer_named("Eka"), reviewer_named("Toka")
    for application in applications:
        services.reviewers_assign(
            application=application, reviewers=[first, second], by=coordinator
        )
    # criteria weights 2 and 1: weighted mean = (2a + b) / 3
    score_and_submit(applications[0], first, [5, 2])  # 4.00
    score_and_submit(applications[0], second, [3, 3])  # 3.00
    score_and_submit(applications[1], first, [5, 5])  # 5.00
    score_and_submit(applications[2], first, [1, 1])  # 1.00
    call.total_budget = Decimal("15000")
    call.save()

    rows = selectors.call_review_totals(call)

    assert [r.application for r in rows] == [applications[1], applications[0], applications[2]]
    assert rows[1].reviewer_totals == [Decimal("4.00"), Decimal("3.00")]
    assert rows[1].mean == Decimal("3.50") and rows[1].spread == Decimal("1.00")
    assert [r.pending for r in rows] == [1, 0, 1]  # the second reviewer has not submitted
    suggested = selectors.funding_suggestion(call, rows)
    # 15,000 € fits two asks of 7,000 €: the two best
    assert [r.application for r in suggested] == [applications[1], applications[0]]


def test_two_reviewers_saving_at_once_keep_both_scores(draft, lead, coordinator):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    first, second = reviewer_named("Eka"), reviewer_named("Toka")
    services.reviewers_assign(application=draft, reviewers=[first, second], by=coordinator)
    criterion = draft.call.criteria.first()
    a1 = draft.assignments.get(reviewer=first)
    a2 = draft.assignments.get(reviewer=second)

    services.scores_save(assignment=a1, by=first, scores={criterion.pk: (4, "Hyvä")})
    services.scores_save(assignment=a2, by=second, scores={criterion.pk: (2, "Heikko")})

    assert sorted(Score.objects.values_list("value", flat=True)) == [2, 4]


def test_a_reviewer_cannot_score_someone_elses_review(draft, lead, coordinator):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    first, second = reviewer_named("Eka"), reviewer_named("Toka")
    services.reviewers_assign(application=draft, reviewers=[first], by=coordinator)
    criterion = draft.call.criteria.first()

    with pytest.raises(ValidationError, match="your own review"):
        services.scores_save(
            assignment=draft.assignments.get(), by=second, scores={criterion.pk: (5, "")}
        )
    assert not Score.objects.exists()


def test_scores_out_of_range_are_refused(draft, lead, coordinator):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    reviewer = reviewer_named("Eka")
    services.reviewers_assign(application=draft, reviewers=[reviewer], by=coordinator)
    criterion = draft.call.criteria.first()
    with pytest.raises(ValidationError, match="from 0 to 5"):
        services.scores_save(
            assignment=draft.assignments.get(), by=reviewer, scores={criterion.pk: (6, "")}
        )


def test_approval_makes_the_first_instalment_payable_and_the_final_report_the_rest(
    draft, lead, coordinator, experiment
):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    reviewed(draft)
    indicator = IndicatorFactory(experiment=experiment)

    services.decision_make(
        application=draft,
        by=coordinator,
        outcome=ApplicationStatus.APPROVED,
        granted_amount=Decimal("6000"),
        conditions="Raportoi käyttömäärät.",
        reasoning="Selkeä ja pieni kokeilu.",
        instalments=[
            (Decimal("4000"), InstalmentTrigger.APPROVAL),
            (Decimal("2000"), InstalmentTrigger.FINAL_REPORT),
        ],
    )
    states = {i.amount: i.state for i in draft.instalments.all()}
    assert states == {Decimal("4000"): "payable", Decimal("2000"): "waiting"}

    experiment.visibility = Visibility.MEMBERS
    experiment.save()
    services.report_submit(
        application=draft,
        by=lead,
        kind=ReportKind.FINAL,
        results="Varaukset kaksinkertaistuivat.",
        lessons="Aloita yhdestä kirjastosta.",
        outcome="succeeded",
        spent=Decimal("7800"),
        measurements=[(indicator, Decimal("42"))],
    )

    experiment.refresh_from_db()
    assert experiment.status == Status.EVALUATED
    assert experiment.results == "Varaukset kaksinkertaistuivat."
    assert experiment.visibility == Visibility.PUBLIC  # in the case bank
    # Payable, never paid by the platform itself: a coordinator records the payments.
    assert {i.state for i in draft.instalments.all()} == {"payable"}
    assert indicator.measurements.get().value == Decimal("42")


def test_a_grant_over_the_request_or_the_budget_is_refused(draft, lead, coordinator):
    complete(draft, lead)  # asks 6000
    services.application_submit(application=draft, by=lead)
    reviewed(draft)
    with pytest.raises(ValidationError, match="asked for 6000"):
        services.decision_make(
            application=draft,
            by=coordinator,
            outcome=ApplicationStatus.APPROVED,
            granted_amount=Decimal("7000"),
            reasoning="Hyvä.",
        )
    with pytest.raises(ValidationError, match="add up to the granted amount"):
        services.decision_make(
            application=draft,
            by=coordinator,
            outcome=ApplicationStatus.APPROVED,
            granted_amount=Decimal("6000"),
            reasoning="Hyvä.",
            instalments=[(Decimal("1000"), InstalmentTrigger.APPROVAL)],
        )
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.IN_REVIEW  # unchanged
    assert not draft.instalments.exists() and not draft.decisions.exists()


def test_returned_application_can_be_fixed_and_submitted_again(draft, lead, coordinator):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    services.decision_make(
        application=draft,
        by=coordinator,
        outcome=ApplicationStatus.RETURNED,
        reasoning="Tarkenna budjettia.",
    )
    complete(draft, lead, costs="7000")
    services.application_submit(application=draft, by=lead)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED


def test_the_dashboard_counts_days_and_flags_late_decisions(call, coordinator):
    call.decision_days = 14
    call.save()
    rows = []
    for n, (submitted_days_ago, decided_after) in enumerate([(30, 10), (30, 20), (20, None)]):
        user = UserFactory()
        organisation = Organisation.objects.get(slug=["espoo", "vantaa", "kauniainen"][n])
        MembershipFactory(organisation=organisation, user=user)
        application = Application.objects.create(
            call=call,
            experiment=ExperimentFactory(owner=organisation),
            applicant=organisation,
            status=ApplicationStatus.APPROVED if decided_after else ApplicationStatus.IN_REVIEW,
            submitted_at=timezone.now() - timedelta(days=submitted_days_ago),
            decided_at=(
                timezone.now() - timedelta(days=submitted_days_ago - decided_after)
                if decided_after
                else None
            ),
        )
        rows.append(application)

    dashboard = selectors.decision_dashboard(call)

    assert [r.days for r in dashboard.rows] == [10, 20, 20]
    assert dashboard.mean_days == 15 and dashboard.median_days == 15
    assert [r.application for r in dashboard.late] == [rows[1], rows[2]]
    assert [r.application for r in dashboard.overdue_undecided] == [rows[2]]


def test_report_reminders_go_once_before_and_once_after(
    draft, lead, coordinator, experiment, django_capture_on_commit_callbacks
):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    reviewed(draft)
    services.decision_make(
        application=draft,
        by=coordinator,
        outcome=ApplicationStatus.APPROVED,
        granted_amount=Decimal("6000"),
        reasoning="Hyvä.",
    )
    experiment.ends_on = timezone.localdate()
    experiment.save()
    due = timezone.localdate() + timedelta(days=30)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # queued as tasks on commit
        assert services.report_reminders_send_due(today=due - timedelta(days=20)) == 0
        assert services.report_reminders_send_due(today=due - timedelta(days=5)) == 1
        assert services.report_reminders_send_due(today=due - timedelta(days=4)) == 0
        assert services.report_reminders_send_due(today=due + timedelta(days=1)) == 1
    assert [m.to for m in mail.outbox] == [[lead.email], [lead.email]]
    assert "due" in mail.outbox[0].subject.lower() or "määrä" in mail.outbox[0].subject.lower()


def test_approving_or_rejecting_waits_for_the_calls_reviews(draft, lead, coordinator):
    complete(draft, lead)
    services.application_submit(application=draft, by=lead)
    first = reviewer_named("Eka")
    services.reviewers_assign(application=draft, reviewers=[first], by=coordinator)
    score_and_submit(draft, first, [4, 4])

    for outcome in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        with pytest.raises(ValidationError, match="needs 2 submitted reviews"):
            services.decision_make(
                application=draft,
                by=coordinator,
                outcome=outcome,
                reasoning="Liian aikaisin.",
                granted_amount=Decimal("6000"),
            )
    services.decision_make(
        application=draft, by=coordinator, outcome=ApplicationStatus.RETURNED, reasoning="Tarkenna."
    )
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.RETURNED
