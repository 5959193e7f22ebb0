"""The accelerator through its pages: who sees what, forms that keep what was typed, e-mail."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core import mail

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.permissions import can
from digikunta.experiments.models import Status, Visibility
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import Application, ApplicationStatus, Call
from digikunta.funding.tests.factories import CallFactory, reviewed
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def vaasa():
    return Organisation.objects.get(slug="vaasa")


@pytest.fixture
def lead(vaasa):
    user = UserFactory(name="Sara Svensson", language="sv")
    MembershipFactory(organisation=vaasa, user=user)
    return user


@pytest.fixture
def experiment(vaasa, lead):
    experiment = ExperimentFactory(
        owner=vaasa, status=Status.RUNNING, language="sv", title="Lokalbokning i Vasa"
    )
    experiment.team.create(user=lead, role="lead")
    return experiment


@pytest.fixture
def submitted(call, experiment, lead, django_capture_on_commit_callbacks):
    application = services.application_create(call=call, experiment=experiment, by=lead)
    question = call.questions.first()
    services.application_save(
        application=application,
        by=lead,
        summary="Invånarna bokar lokaler på nätet.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Dörrar", Decimal("8000"))],
        answers={question.pk: "Vi lär oss varför ingen bokar."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, by=lead)
    return application


def reviewer_named(name, **extra):
    return UserFactory(name=name, roles=[PlatformRole.REVIEWER], totp=True, **extra)


def test_the_public_sees_published_calls_only(client, call, coordinator):
    hidden = CallFactory(published=False, title="Valmisteilla oleva haku")
    page = client.get("/fi/funding/").content.decode()
    assert call.title in page and hidden.title not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404

    client.force_login(coordinator)
    assert hidden.title in client.get("/fi/funding/").content.decode()


def test_call_page_in_swedish_shows_the_swedish_title_and_the_rules(client, call):
    page = client.get(f"/sv{call.get_absolute_url()[3:]}").content.decode()
    assert call.title_sv in page
    assert "Effekt" in page  # a criterion, in Swedish


def test_a_coordinator_opens_a_call_with_criteria_and_questions(client, coordinator):
    client.force_login(coordinator)
    form = {
        "title": "Kesäasukkaiden kokeilut",
        "title_sv": "",
        "description": "Rahaa kokeiluihin, joissa kesäasukkaat ovat mukana.",
        "organiser": Organisation.objects.get(slug="uusimaa-maakunta").pk,
        "total_budget": "30000",
        "max_per_application": "5000",
        "own_contribution_percent": "10",
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-15T16:00",
        "decision_days": "10",
        "report_due_days": "30",
        "reviewers_per_application": "2",
        "fast_track": "on",
        "published": "on",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Vaikuttavuus",
        "criteria-0-weight": "3",
        "criteria-1-name": "",
        "criteria-1-weight": "1",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-kind": "choice",
        "questions-0-label": "Kuinka moni kesäasukas osallistuu?",
        "questions-0-required": "on",
        "questions-0-choices": "alle 10\n10–100\nyli 100",
        "questions-1-kind": "short_text",
        "questions-1-label": "",
    }
    response = client.post("/fi/funding/new/", form)

    assert response.status_code == 302, response.content.decode()[-3000:]
    call = Call.objects.get(title="Kesäasukkaiden kokeilut")
    assert call.fast_track and call.reviewers_per_application == 1  # fast track: one reviewer
    assert [c.name for c in call.criteria.all()] == ["Vaikuttavuus"]
    assert call.questions.get().choices == ["alle 10", "10–100", "yli 100"]
    assert call.opens_at.hour == 7  # 09:00 Finnish time is 07:00 UTC in winter


def test_a_bad_call_form_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/fi/funding/new/",
        {
            "title": "Huono haku",
            "description": "Kuvaus",
            "total_budget": "1000",
            "max_per_application": "5000",
            "opens_at": "2026-12-15T09:00",
            "closes_at": "2026-12-01T09:00",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Huono haku" in page
    assert "close after it opens" in page or "sulkeutua" in page
    assert not Call.objects.filter(title="Huono haku").exists()


def test_residents_cannot_open_calls(client, resident):
    client.force_login(resident)
    assert client.get("/fi/funding/new/").status_code == 403


def test_applying_saving_a_draft_and_being_told_what_is_missing(client, call, experiment, lead):
    client.force_login(lead)
    response = client.post(f"/sv/funding/{call.slug}/apply/", {"experiment": experiment.pk})
    application = Application.objects.get()
    assert response["Location"] == f"/sv/funding/applications/{application.pk}/edit/"

    form = {
        "summary": "Invånarna bokar lokaler.",
        "own_contribution": "0",
        "language": "sv",
        "version": application.version,
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-description": "Dörrar",
        "budget-0-amount": "12000",
        "submit": "1",
    }
    response = client.post(f"/sv/funding/applications/{application.pk}/edit/", form)

    assert response.status_code == 422
    page = response.content.decode()
    assert "Invånarna bokar lokaler." in page  # what was typed is kept
    assert "10000" in page  # over the maximum, named
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.summary == "Invånarna bokar lokaler."  # the draft was saved


def test_autosave_answers_with_the_saved_status_and_the_new_version(client, call, experiment, lead):
    client.force_login(lead)
    application = services.application_create(call=call, experiment=experiment, by=lead)
    response = client.post(
        f"/fi/funding/applications/{application.pk}/edit/",
        {
            "summary": "Luonnos",
            "own_contribution": "0",
            "language": "fi",
            "version": application.version,
            "budget-TOTAL_FORMS": "0",
            "budget-INITIAL_FORMS": "0",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="autosave"' in page and "<html" not in page
    assert f'value="{application.version + 1}"' in page


def test_submission_mails_a_receipt_in_the_applicants_language(coordinator, submitted, lead):
    receipts = [m for m in mail.outbox if m.to == [lead.email]]
    assert len(receipts) == 1
    assert "Ansökan mottagen" in receipts[0].subject or "mottagen" in receipts[0].body
    assert any(m.to == [coordinator.email] for m in mail.outbox)


def test_a_reviewer_of_the_applicant_organisation_never_reviews_it(
    client, submitted, vaasa, coordinator
):
    insider = reviewer_named("Vera Vasa")
    MembershipFactory(organisation=vaasa, user=insider)
    client.force_login(coordinator)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Vera Vasa" not in page  # not even offered for assignment
    # Assigned behind the service's back, the review page still refuses them.
    assignment = submitted.assignments.create(reviewer=insider)
    client.force_login(insider)
    assert client.get(assignment.get_absolute_url()).status_code == 404
    assert not can(insider, "review", submitted)


def test_a_reviewer_sees_own_scores_only_until_submitting(
    client, submitted, coordinator, django_capture_on_commit_callbacks
):
    first, second = reviewer_named("Eka"), reviewer_named("Toka")
    services.reviewers_assign(application=submitted, reviewers=[first, second], by=coordinator)
    criteria = list(submitted.call.criteria.all())
    other = submitted.assignments.get(reviewer=second)
    services.scores_save(
        assignment=other, by=second, scores={c.pk: (1, "Salainen perustelu") for c in criteria}
    )
    services.review_submit(assignment=other, by=second)
    mine = submitted.assignments.get(reviewer=first)
    client.force_login(first)

    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Salainen perustelu" not in page and "Reviewer 1" not in page

    form = {"general_comment": "Hyvä", "submit": "1"}
    for c in criteria:
        form[f"score_{c.pk}"] = "4"
        form[f"comment_{c.pk}"] = ""
    assert client.post(mine.get_absolute_url(), form).status_code == 302
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "1,00" in page  # the other reviewer's weighted score, without their name
    assert "Toka" not in page


def test_the_applicant_never_reads_reviews(client, submitted, coordinator, lead):
    reviewer = reviewer_named("Eka")
    services.reviewers_assign(application=submitted, reviewers=[reviewer], by=coordinator)
    client.force_login(lead)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Eka" not in page
    assignment = submitted.assignments.get()
    assert client.get(assignment.get_absolute_url()).status_code == 404


def test_a_decision_is_mailed_with_its_reasoning_and_published_without_reviewers(
    client, submitted, coordinator, lead, django_capture_on_commit_callbacks
):
    reviewer = reviewer_named("Eka")
    services.reviewers_assign(application=submitted, reviewers=[reviewer], by=coordinator)
    reviewed(submitted)
    client.force_login(coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fi/funding/applications/{submitted.pk}/decision/",
            {
                "outcome": "approved",
                "granted_amount": "6000",
                "conditions": "Raportoi käyttömäärät.",
                "reasoning": "Selkeä kokeilu.",
                "decision_maker_name": "Kirsi Koordinaattori",
                "decision_maker_title": "kehittämispäällikkö",
                "instalments-TOTAL_FORMS": "2",
                "instalments-INITIAL_FORMS": "0",
                "instalments-0-amount": "4000",
                "instalments-0-trigger": "approval",
                "instalments-1-amount": "2000",
                "instalments-1-trigger": "final_report",
            },
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [lead.email]
    assert "Selkeä kokeilu." in message.body
    assert "6000" in "".join(message.body.split()).replace("\xa0", "")  # "6 000" in Swedish
    assert "beviljad" in message.subject.lower() or "godkänd" in message.subject.lower()

    client.logout()
    exported = json.loads(
        b"".join(client.get(f"/fi/funding/{submitted.call.slug}/decisions.json").streaming_content)
    )
    assert exported[0]["granted_amount"] == "6000.00"
    assert "Eka" not in json.dumps(exported)
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(f"/fi/funding/{submitted.call.slug}/decisions.csv").streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert rows[0]["decision"] == "approved"
    # Links work where the site runs: the address the request came to (issue 10).
    experiment_url = submitted.experiment.get_absolute_url()
    assert rows[0]["experiment_url"] == f"http://testserver{experiment_url}"
    assert exported[0]["experiment_url"] == f"http://testserver{experiment_url}"
    assert "http://testserver/" in message.body


def test_a_grant_over_the_maximum_is_refused_with_the_form_kept(client, submitted, coordinator):
    reviewed(submitted)
    client.force_login(coordinator)
    response = client.post(
        f"/fi/funding/applications/{submitted.pk}/decision/",
        {
            "outcome": "approved",
            "granted_amount": "12000",
            "reasoning": "Perustelu säilyy.",
            "decision_maker_name": "Kirsi Koordinaattori",
            "decision_maker_title": "kehittämispäällikkö",
            "instalments-TOTAL_FORMS": "0",
            "instalments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Perustelu säilyy." in page and "10000" in page
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.IN_REVIEW  # unchanged


def test_a_final_report_puts_the_experiment_in_the_case_bank(
    client, submitted, coordinator, lead, experiment
):
    reviewed(submitted)
    services.decision_make(
        application=submitted,
        by=coordinator,
        outcome="approved",
        granted_amount=Decimal("6000"),
        reasoning="Hyvä.",
    )
    experiment.visibility = Visibility.MEMBERS
    experiment.save()
    client.force_login(lead)
    response = client.post(
        f"/sv/funding/applications/{submitted.pk}/report/",
        {
            "kind": "final",
            "results": "Bokningarna fördubblades.",
            "outcome": "succeeded",
            "lessons": "Börja med ett bibliotek.",
            "spent": "7800",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get("/sv/casebank/", {"status": "evaluated"}).content.decode()
    assert "Lokalbokning i Vasa" in page


def test_the_dashboard_shows_days_and_late_decisions(client, submitted, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/fi/funding/{submitted.call.slug}/dashboard/").content.decode()
    assert "Lokalbokning i Vasa" in page
    assert client.get(f"/fi/funding/{submitted.call.slug}/applications/").status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # view_call(unpublished), add_call, view_app, change_app, review, decide, report, reviews
        ("anonymous", [False, False, False, False, False, False, False, False]),
        ("resident", [False, False, False, False, False, False, False, False]),
        ("applicant", [False, False, True, False, False, False, False, False]),
        ("reviewer", [False, False, True, False, True, False, False, False]),
        ("other_reviewer", [False, False, False, False, False, False, False, False]),
        ("conflicted", [False, False, False, False, False, False, False, False]),
        ("coordinator", [True, True, True, False, False, True, False, True]),
    ],
)
def test_permission_matrix(submitted, coordinator, resident, lead, who, expected):
    from django.contrib.auth.models import AnonymousUser

    hidden = CallFactory(published=False)
    reviewer, other, conflicted = reviewer_named("A"), reviewer_named("B"), reviewer_named("C")
    services.reviewers_assign(
        application=submitted, reviewers=[reviewer, conflicted], by=coordinator
    )
    services.conflict_declare(
        assignment=submitted.assignments.get(reviewer=conflicted),
        by=conflicted,
        reason="Entinen työpaikka",
    )
    user = {
        "anonymous": AnonymousUser(),
        "resident": resident,
        "applicant": lead,
        "reviewer": reviewer,
        "other_reviewer": other,
        "conflicted": conflicted,
        "coordinator": coordinator,
    }[who]
    application = Application.objects.get(pk=submitted.pk)
    actual = [
        can(user, "view", hidden),
        can(user, "add", Call),
        can(user, "view", application),
        can(user, "change", application),
        can(user, "review", application),
        can(user, "decide", application),
        can(user, "report", application),
        can(user, "see_reviews", application),
    ]
    assert actual == expected


def test_saving_again_keeps_the_budget_lines_already_saved(client, call, experiment, lead):
    client.force_login(lead)
    application = services.application_create(call=call, experiment=experiment, by=lead)
    url = f"/fi/funding/applications/{application.pk}/edit/"
    form = {
        "summary": "Luonnos",
        "own_contribution": "0",
        "language": "fi",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-description": "Lukot",
        "budget-0-amount": "900",
    }
    for version in (application.version, application.version + 1):
        client.post(url, {**form, "version": version}, headers={"HX-Request": "true"})

    assert [line.amount for line in application.budget_lines.all()] == [Decimal("900")]


def test_editing_a_call_keeps_its_criteria(client, call, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/fi/funding/{call.slug}/edit/")
    form = page.context["form"]
    data = {
        name: (value if value is not None else "")
        for name, value in ((f.html_name, f.value()) for f in form)
        if not isinstance(value, list)
    }
    data.update(
        {
            "opens_at": call.opens_at.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": call.closes_at.strftime("%Y-%m-%dT%H:%M"),
            "published": "on",
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "2",
            "criteria-0-name": "Vaikuttavuus",
            "criteria-0-weight": "2",
            "criteria-1-name": "Toteutettavuus",
            "criteria-1-weight": "1",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        }
    )
    data.pop("fast_track", None)
    response = client.post(f"/fi/funding/{call.slug}/edit/", data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["criteria"].errors,
        response.context["questions"].errors,
    )
    assert [c.name for c in call.criteria.all()] == ["Vaikuttavuus", "Toteutettavuus"]


def test_untouched_instalment_rows_do_not_block_a_decision(client, submitted, coordinator):
    reviewed(submitted)
    client.force_login(coordinator)
    response = client.post(
        f"/fi/funding/applications/{submitted.pk}/decision/",
        {
            "outcome": "approved",
            "granted_amount": "6000",
            "reasoning": "Hyvä.",
            "decision_maker_name": "Kirsi Koordinaattori",
            "decision_maker_title": "kehittämispäällikkö",
            "instalments-TOTAL_FORMS": "3",
            "instalments-INITIAL_FORMS": "0",
            **{f"instalments-{n}-trigger": "approval" for n in range(3)},
            **{f"instalments-{n}-amount": "" for n in range(3)},
        },
    )
    assert response.status_code == 302
    assert [i.amount for i in submitted.instalments.all()] == [Decimal("6000")]


def test_the_dashboard_page_shows_the_figures_of_a_seeded_round(client, call, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    for n, (ago, took) in enumerate([(30, 6), (30, 20), (3, None)]):
        organisation = Organisation.objects.get(slug=["espoo", "vantaa", "kauniainen"][n])
        Application.objects.create(
            call=call,
            experiment=ExperimentFactory(owner=organisation, title=f"Kokeilu {n}"),
            applicant=organisation,
            status=ApplicationStatus.APPROVED if took else ApplicationStatus.IN_REVIEW,
            submitted_at=timezone.now() - timedelta(days=ago),
            decided_at=timezone.now() - timedelta(days=ago - took) if took else None,
        )
    client.force_login(coordinator)

    response = client.get(f"/en/funding/{call.slug}/dashboard/")

    dashboard = response.context["dashboard"]
    assert (dashboard.mean_days, dashboard.median_days, dashboard.max_days) == (13, 13, 20)
    page = " ".join(response.content.decode().split())
    assert "<dd>2 / 3</dd>" in page  # decided
    assert "<dd>13</dd>" in page and "<dd>20</dd>" in page
    assert page.count("<strong>late</strong>") == 1  # 20 days against the promised 14


def test_overdue_final_reports_are_listed_for_the_coordinator(client, submitted, coordinator):
    from datetime import timedelta

    reviewed(submitted)
    services.decision_make(
        application=submitted,
        by=coordinator,
        outcome="approved",
        granted_amount=Decimal("6000"),
        reasoning="Hyvä.",
    )
    experiment = submitted.experiment
    experiment.ends_on = submitted.decided_at.date() - timedelta(days=60)
    experiment.save()
    client.force_login(coordinator)
    page = client.get(f"/en/funding/{submitted.call.slug}/applications/").content.decode()
    assert "Overdue final reports" in page and "Lokalbokning i Vasa" in page


def test_an_unknown_export_format_is_not_found(client, call):
    assert client.get(f"/fi/funding/{call.slug}/decisions.xml").status_code == 404


def test_the_call_form_offers_no_retired_theme_but_keeps_one_the_call_has(client, coordinator):
    from digikunta.experiments.models import Theme

    kept, retired = Theme.objects.all()[:2]
    call = CallFactory()
    call.themes.set([kept])
    Theme.objects.filter(pk__in=[kept.pk, retired.pk]).update(is_retired=True)
    client.force_login(coordinator)
    new = client.get("/fi/funding/new/").content.decode()
    assert f'name="themes" value="{kept.pk}"' not in new
    assert f'name="themes" value="{retired.pk}"' not in new
    edit = client.get(f"/fi/funding/{call.slug}/edit/").content.decode()
    assert f'name="themes" value="{kept.pk}"' in edit
    assert f'name="themes" value="{retired.pk}"' not in edit
