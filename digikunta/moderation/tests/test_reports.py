"""Anyone signed in who sees an item may report it, once while the report waits."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.moderation import services
from digikunta.moderation.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def url(entry):
    return f"/fi/moderation/report/journal_entry/{entry.pk}/"


def test_the_journal_entry_has_a_report_link(client, entry):
    page = client.get(entry.experiment.get_absolute_url()).content.decode()
    assert f'href="{url(entry)}"' in page


def test_a_resident_reports_an_entry_with_a_reason(client, resident, entry):
    client.force_login(resident)
    form = client.get(url(entry))
    assert form.status_code == 200
    assert "Kirjaston iltapäivät" in form.content.decode()  # what they are reporting
    response = client.post(url(entry), {"reason": "spam", "details": "Mainos."}, follow=True)
    assert (
        response.redirect_chain[-1][0] == f"{entry.experiment.get_absolute_url()}#entry-{entry.pk}"
    )
    assert "Kiitos. Moderaattorit käyvät ilmiantamasi sisällön läpi." in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.details) == (resident, "spam", "Mainos.")
    assert report.status == ReportStatus.OPEN and report.content == entry


def test_a_second_report_by_the_same_person_says_it_is_reported_already(client, resident, entry):
    client.force_login(resident)
    client.post(url(entry), {"reason": "spam"})
    page = client.get(url(entry)).content.decode()
    assert "Moderaattorit eivät ole vielä käsitelleet sitä" in page
    assert 'id="report-form"' not in page
    again = client.post(url(entry), {"reason": "other", "details": "Uudestaan"})
    assert again.status_code == 422
    assert "Olet jo ilmiantanut tämän" in again.content.decode()
    assert Report.objects.count() == 1


def test_another_person_may_report_the_same_entry(client, resident, outsider, entry):
    for person in (resident, outsider):
        client.force_login(person)
        assert client.post(url(entry), {"reason": "spam"}).status_code == 302
    assert Report.objects.count() == 2


def test_a_report_without_a_reason_is_refused_and_keeps_the_details(client, resident, entry):
    client.force_login(resident)
    response = client.post(url(entry), {"details": "Tämä on mainos."})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Valitse, miksi ilmiannat tämän." in page
    assert 'href="#id_reason"' in page
    assert "Tämä on mainos." in page
    assert not Report.objects.exists()


def test_an_unknown_reason_and_overlong_details_are_refused(client, resident, entry):
    client.force_login(resident)
    assert client.post(url(entry), {"reason": "boring"}).status_code == 422
    long = client.post(url(entry), {"reason": "spam", "details": "x" * 2001})
    assert long.status_code == 422
    assert not Report.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in(client, entry):
    response = client.get(url(entry))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert client.post(url(entry), {"reason": "spam"}).status_code == 302
    assert not Report.objects.exists()


def test_what_the_person_may_not_see_cannot_be_reported(client, outsider, organisation, member):
    from digikunta.experiments import services as experiment_services

    private = ExperimentFactory(owner=organisation, visibility="members")
    entry = experiment_services.journal_entry_create(experiment=private, by=member, body="Sisäinen")
    client.force_login(outsider)
    assert client.get(url(entry)).status_code == 404
    assert client.post(url(entry), {"reason": "spam"}).status_code == 404
    client.force_login(member)
    assert client.get(url(entry)).status_code == 200


def test_unknown_kinds_and_ids_are_not_found(client, resident, entry):
    client.force_login(resident)
    assert client.get(f"/fi/moderation/report/experiment/{entry.experiment.pk}/").status_code == 404
    assert client.get(f"/fi/moderation/report/journal_entry/{entry.pk + 100}/").status_code == 404


def test_the_report_page_takes_only_get_and_post(client, resident, entry):
    client.force_login(resident)
    assert client.put(url(entry)).status_code == 405


def test_hidden_content_cannot_be_reported(client, resident, moderator, entry):
    services.content_hide(moderator=moderator, obj=entry, public_reason="Mainos.")
    client.force_login(resident)
    response = client.post(url(entry), {"reason": "spam"})
    assert response.status_code == 422
    assert "Moderaattorit ovat jo piilottaneet tämän." in response.content.decode()
    assert not Report.objects.exists()


def test_after_a_dismissal_the_person_may_report_again(resident, moderator, entry):
    services.report_create(reporter=resident, obj=entry, reason="spam")
    services.reports_dismiss(moderator=moderator, obj=entry)
    services.report_create(reporter=resident, obj=entry, reason="other", details="Uutta tietoa")
    assert Report.objects.filter(status=ReportStatus.OPEN).count() == 1


def test_the_service_refuses_a_duplicate_too(resident, entry):
    services.report_create(reporter=resident, obj=entry, reason="spam")
    with pytest.raises(ValidationError) as error:
        services.report_create(reporter=resident, obj=entry, reason="spam")
    assert error.value.code == "already_reported"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_a_report_sent_many_times_at_once_is_one_report(reference_data, resident, entry):
    outcomes: list[str] = []

    def send() -> None:
        try:
            services.report_create(reporter=resident, obj=entry, reason="spam")
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Report.objects.filter(reporter=resident).count() == 1
    assert sorted(outcomes) == ["created"] + ["refused"] * 7


def test_an_empty_post_is_a_form_with_errors_not_a_fresh_form(client, resident, entry):
    client.force_login(resident)
    response = client.post(url(entry))
    assert response.status_code == 422
    assert not Report.objects.exists()
