"""A funding decision is an administrative decision (issue 10): a record number unique per year
also under concurrent decisions, the decision-maker, the call's legal basis and appeal
instructions, a PDF with the e-mail, payments recorded by a coordinator, the report's due date
from the experiment's end, each reviewer's scores for the coordinator, and draft calls."""

import io
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from pypdf import PdfReader

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.records import next_record_number
from digikunta.experiments.models import Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import Application, ApplicationStatus, Decision, Payment
from digikunta.funding.tests.factories import CallFactory, reviewed
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def lead():
    user = UserFactory(name="Sara Svensson", language="sv")
    MembershipFactory(organisation=Organisation.objects.get(slug="vaasa"), user=user)
    return user


def submitted_application(call, lead, *, language="sv", ends_on=None, title="Lokalbokning"):
    experiment = ExperimentFactory(
        owner=Organisation.objects.get(slug="vaasa"),
        status=Status.RUNNING,
        language=language,
        title=title,
        ends_on=ends_on,
    )
    experiment.team.create(user=lead, role="lead")
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
    services.application_submit(application=application, by=lead)
    return application


def approve(application, coordinator, **extra):
    return services.decision_make(
        application=application,
        by=coordinator,
        outcome=ApplicationStatus.APPROVED,
        granted_amount=extra.pop("granted_amount", Decimal("6000")),
        reasoning="Selkeä ja pieni kokeilu.",
        **extra,
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_decisions_are_numbered_in_a_series_that_starts_again_each_year(call, lead, coordinator):
    first, second = (submitted_application(call, lead, title=t) for t in ("A", "B"))
    reviewed(first)
    reviewed(second)
    one = approve(first, coordinator)
    two = services.decision_make(
        application=second, by=coordinator, outcome="returned", reasoning="Täydennä budjetti."
    )
    assert (one.record_number, two.record_number) == (f"DK/{YEAR}/000001", f"DK/{YEAR}/000002")
    assert next_record_number(year=YEAR + 1) == f"DK/{YEAR + 1}/000001"
    assert next_record_number() == f"DK/{YEAR}/000003"


def test_a_decision_names_its_maker_and_carries_the_calls_texts_in_its_language(
    call, lead, coordinator
):
    application = submitted_application(call, lead, language="sv")
    reviewed(application)
    decision = approve(application, coordinator)
    assert decision.decision_maker_name == "Kirsi Koordinaattori"
    assert decision.decision_maker_title == "kehittämispäällikkö"
    assert decision.language == "sv"
    assert decision.legal_basis == call.legal_basis_sv
    assert decision.appeal_instructions == call.appeal_instructions_sv
    # What the call says later does not change what was decided.
    call.appeal_instructions_sv = "Ny text."
    call.save()
    decision.refresh_from_db()
    assert "omprövningskrav" in decision.appeal_instructions


def test_a_decision_without_the_makers_title_is_refused_and_nothing_is_written(call, lead):
    application = submitted_application(call, lead)
    reviewed(application)
    untitled = UserFactory(name="Nimetön", roles=[PlatformRole.COORDINATOR], totp=True)
    before = application.status
    with pytest.raises(ValidationError) as refused:
        approve(application, untitled)
    assert "decision_maker_title" in refused.value.error_dict
    application.refresh_from_db()
    assert application.status == before
    assert not Decision.objects.exists()
    assert next_record_number() == f"DK/{YEAR}/000001"  # no number was used up


def test_a_call_without_appeal_instructions_cannot_approve_or_reject(lead, coordinator):
    call = CallFactory(appeal_instructions="", appeal_instructions_sv="")
    application = submitted_application(call, lead)
    reviewed(application)
    with pytest.raises(ValidationError, match="oikaisuvaatimusohjetta"):
        approve(application, coordinator)
    returned = services.decision_make(
        application=application, by=coordinator, outcome="returned", reasoning="Täydennä."
    )
    assert returned.appeal_instructions == ""


def test_the_decision_email_carries_the_pdf_with_number_and_appeal_instructions(
    call, lead, coordinator, django_capture_on_commit_callbacks
):
    application = submitted_application(call, lead, language="fi", title="Tilavaraus Vaasassa")
    reviewed(application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(application, coordinator)
    (message,) = [m for m in mail.outbox if lead.email in m.to]
    assert decision.record_number in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"DK-{YEAR}-000001.pdf", "application/pdf")
    text = pdf_text(content)
    assert decision.record_number in text
    assert "oikaisuvaatimuksen" in text  # the call's Finnish appeal instructions
    assert "Kirsi Koordinaattori" in text and "kehittämispäällikkö" in text
    assert "Tilavaraus Vaasassa" in text
    decision.refresh_from_db()
    assert decision.document.read() == content  # the PDF sent is the PDF kept


def test_the_decision_page_and_pdf_are_for_the_applicant_and_coordinators_only(
    client, call, lead, coordinator, resident, django_capture_on_commit_callbacks
):
    application = submitted_application(call, lead)
    reviewed(application)
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(application, coordinator)
    client.force_login(lead)
    page = client.get(f"/sv/funding/decisions/{decision.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert decision.record_number in body and "omprövningskrav" in body
    pdf = client.get(f"/sv/funding/decisions/{decision.pk}/document.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert decision.record_number in pdf_text(b"".join(pdf.streaming_content))
    client.force_login(resident)
    assert client.get(f"/sv/funding/decisions/{decision.pk}/").status_code == 404
    assert client.get(f"/sv/funding/decisions/{decision.pk}/document.pdf").status_code == 404


def test_nothing_is_paid_until_a_coordinator_records_the_payment(client, call, lead, coordinator):
    application = submitted_application(call, lead)
    reviewed(application)
    approve(
        application,
        coordinator,
        instalments=[(Decimal("4000"), "approval"), (Decimal("2000"), "final_report")],
    )
    first, last = application.instalments.all()
    assert (first.state, last.state) == ("payable", "waiting")

    client.force_login(lead)
    url = f"/fi/funding/instalments/{first.pk}/payments/"
    data = {"paid_on": timezone.localdate().isoformat(), "amount": "1500", "reference": "T-77"}
    assert client.post(url, data).status_code == 403

    client.force_login(coordinator)
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert (first.state, first.paid_amount) == ("partly_paid", Decimal("1500"))

    too_much = client.post(url, {**data, "amount": "2600", "reference": "T-78"})
    assert too_much.status_code == 422
    assert "2500" in too_much.content.decode()  # what is still unpaid
    assert 'value="T-78"' in too_much.content.decode()  # the form keeps what was typed
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.post(url, {**data, "paid_on": tomorrow}).status_code == 422
    assert client.post(url, {**data, "reference": " "}).status_code == 422
    waiting = client.post(f"/fi/funding/instalments/{last.pk}/payments/", data)
    assert waiting.status_code == 422
    assert Payment.objects.count() == 1

    assert client.post(url, {**data, "amount": "2500", "reference": "T-79"}).status_code == 302
    first.refresh_from_db()
    assert first.state == "paid"
    page = client.get(application.get_absolute_url()).content.decode()
    assert "T-77" in page and "T-79" in page


def test_the_final_report_is_due_after_the_experiments_end_not_the_decision(
    call, lead, coordinator
):
    ends = timezone.localdate() + timedelta(days=90)
    dated = submitted_application(call, lead, ends_on=ends, title="A")
    undated = submitted_application(call, lead, title="B")
    for application in (dated, undated):
        reviewed(application)
        approve(application, coordinator, granted_amount=Decimal("5000"))
    from digikunta.funding.selectors import report_due_on

    assert report_due_on(Application.objects.get(pk=dated.pk)) == ends + timedelta(days=30)
    assert report_due_on(Application.objects.get(pk=undated.pk)) is None


def test_the_coordinator_sees_each_reviewers_scores_and_comments_the_applicant_does_not(
    client, call, lead, coordinator
):
    application = submitted_application(call, lead)
    reviewed(application)
    assignment = application.assignments.select_related("reviewer").first()
    score = assignment.scores.first()
    score.comment = "Vaikuttavuus jää epäselväksi."
    score.save()
    client.force_login(coordinator)
    page = client.get(application.get_absolute_url()).content.decode()
    assert assignment.reviewer.public_name in page
    assert "Vaikuttavuus jää epäselväksi." in page
    client.force_login(lead)
    page = client.get(application.get_absolute_url()).content.decode()
    assert assignment.reviewer.public_name not in page
    assert "Vaikuttavuus jää epäselväksi." not in page


def test_a_draft_call_is_shown_as_a_draft_with_a_publish_action_never_open(
    client, coordinator, resident
):
    call = CallFactory(published=False)
    client.force_login(coordinator)
    page = client.get(f"/fi/funding/{call.slug}/").content.decode()
    assert "Luonnos — ei julkaistu" in page
    assert f"/funding/{call.slug}/apply/" not in page
    assert f"/funding/{call.slug}/publish/" in page
    listing = client.get("/fi/funding/").content.decode()
    assert "Luonnos — ei julkaistu" in listing

    client.force_login(resident)
    assert client.get(f"/fi/funding/{call.slug}/").status_code == 404
    assert client.post(f"/fi/funding/{call.slug}/publish/").status_code == 404

    client.force_login(coordinator)
    assert client.post(f"/fi/funding/{call.slug}/publish/").status_code == 302
    call.refresh_from_db()
    assert call.published and call.state == "open"


def test_a_call_is_not_published_with_its_template_texts_unfinished(client, coordinator):
    call = CallFactory(published=False, appeal_instructions="Toimitetaan: [kirjaamo].")
    client.force_login(coordinator)
    response = client.post(f"/fi/funding/{call.slug}/publish/", follow=True)
    assert "hakasulkeissa" in response.content.decode()
    call.refresh_from_db()
    assert not call.published


def test_a_call_with_applications_is_not_taken_back_to_a_draft(call, lead, coordinator):
    submitted_application(call, lead)
    with pytest.raises(ValidationError):
        services.call_unpublish(call=call, by=coordinator)
    call.refresh_from_db()
    assert call.published


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_twenty_simultaneous_decisions_get_twenty_distinct_record_numbers(
    reference_data, lead, coordinator
):
    call = CallFactory(total_budget=Decimal("500000"), reviewers_per_application=1)
    applications = [submitted_application(call, lead, title=f"Kokeilu {n}") for n in range(20)]
    for application in applications:
        reviewed(application)
    barrier = threading.Barrier(len(applications))
    errors: list[Exception] = []

    def decide(application: Application) -> None:
        try:
            barrier.wait()
            approve(application, coordinator, granted_amount=Decimal("1000"))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Decision.objects.values_list("record_number", flat=True))
    assert numbers == [f"DK/{YEAR}/{n:06d}" for n in range(1, 21)]
