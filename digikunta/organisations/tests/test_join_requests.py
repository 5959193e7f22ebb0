"""No dead ends for a newcomer (issue 10): a person asks to join an organisation, its
administrators approve or decline, with e-mail both ways."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections

from digikunta.accounts.tests.factories import UserFactory
from digikunta.organisations import services
from digikunta.organisations.models import JoinRequest, JoinRequestStatus, Membership

pytestmark = pytest.mark.django_db


def test_a_resident_asks_to_join_and_the_admin_approves(
    client, organisation, org_admin, resident, django_capture_on_commit_callbacks
):
    org_admin.language = "sv"
    org_admin.save(update_fields=["language"])
    client.force_login(resident)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f"/organisations/{organisation.slug}/join/" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fi/organisations/{organisation.slug}/join/",
            {"message": "Olen kirjaston digituki."},
        )
    assert response.status_code == 302
    [to_admin] = mail.outbox
    assert to_admin.to == [org_admin.email]
    assert resident.name in to_admin.subject and "Olen kirjaston digituki." in to_admin.body
    assert f"/sv/organisations/{organisation.slug}/members/" in to_admin.body  # their language
    waiting = client.get(organisation.get_absolute_url()).content.decode()
    assert "Ylläpitäjät eivät ole vielä vastanneet" in waiting

    mail.outbox.clear()
    client.force_login(org_admin)
    members = client.get(f"/fi/organisations/{organisation.slug}/members/").content.decode()
    assert "Olen kirjaston digituki." in members
    request = JoinRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/fi/organisations/{organisation.slug}/join-requests/{request.pk}/",
            {"decision": "approve"},
        )
    assert Membership.objects.filter(organisation=organisation, user=resident).exists()
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED and request.decided_by == org_admin
    [to_person] = mail.outbox
    assert to_person.to == [resident.email] and "jäsen" in to_person.subject


def test_a_declined_person_is_told_and_does_not_become_a_member(
    client, organisation, org_admin, resident, django_capture_on_commit_callbacks
):
    request = services.join_request_create(organisation=organisation, user=resident)
    mail.outbox.clear()
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/organisations/{organisation.slug}/join-requests/{request.pk}/",
            {"decision": "decline"},
        )
    assert not Membership.objects.filter(organisation=organisation, user=resident).exists()
    [to_person] = mail.outbox
    assert "declined" in to_person.subject.lower() or "hylättiin" in to_person.subject


def test_only_the_organisations_administrators_decide(client, organisation, member, resident):
    request = services.join_request_create(organisation=organisation, user=resident)
    client.force_login(member)  # a member, not an administrator
    response = client.post(
        f"/fi/organisations/{organisation.slug}/join-requests/{request.pk}/",
        {"decision": "approve"},
    )
    assert response.status_code in (403, 404)
    assert not Membership.objects.filter(organisation=organisation, user=resident).exists()


def test_one_waiting_request_per_person_and_none_for_members(organisation, resident, member):
    services.join_request_create(organisation=organisation, user=resident)
    with pytest.raises(ValidationError, match="odottaa jo hyväksyntää"):
        services.join_request_create(organisation=organisation, user=resident)
    with pytest.raises(ValidationError, match="Olet jo"):
        services.join_request_create(organisation=organisation, user=member)
    assert JoinRequest.objects.count() == 1


def test_an_answered_request_is_not_answered_twice(organisation, org_admin, resident):
    request = services.join_request_create(organisation=organisation, user=resident)
    services.join_request_decide(join_request=request, by=org_admin, approve=False)
    with pytest.raises(ValidationError, match="on jo vastattu"):
        services.join_request_decide(join_request=request, by=org_admin, approve=True)
    assert not Membership.objects.filter(organisation=organisation, user=resident).exists()


def test_markup_in_the_message_is_shown_as_text(client, organisation, org_admin, resident):
    services.join_request_create(
        organisation=organisation, user=resident, message="<script>alert(1)</script>"
    )
    client.force_login(org_admin)
    members = client.get(f"/fi/organisations/{organisation.slug}/members/").content.decode()
    assert "<script>alert(1)</script>" not in members
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in members


def test_a_too_long_message_is_refused_with_what_was_typed_kept(client, organisation, resident):
    client.force_login(resident)
    response = client.post(
        f"/fi/organisations/{organisation.slug}/join/", {"message": "x" * 501 + "loppu"}
    )
    assert response.status_code == 422
    assert "loppu" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_a_requesters_export_holds_their_requests(organisation, resident):
    from digikunta.accounts.services import user_export

    services.join_request_create(organisation=organisation, user=resident, message="Hei")
    assert "'Hei'" in repr(user_export(user=resident))


def test_erasing_the_person_erases_their_requests(organisation):
    person = UserFactory()
    services.join_request_create(organisation=organisation, user=person)
    from digikunta.accounts.services import user_erase

    user_erase(user=person)
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_a_request_sent_many_times_at_once_is_one_request(organisation, resident):
    outcomes: list[str] = []

    def send() -> None:
        try:
            services.join_request_create(organisation=organisation, user=resident)
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

    assert JoinRequest.objects.filter(organisation=organisation, user=resident).count() == 1
    assert sorted(outcomes) == ["created"] + ["refused"] * 7
