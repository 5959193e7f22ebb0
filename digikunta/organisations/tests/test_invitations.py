"""Joining an organisation needs the person's consent: an invitation they accept (issue 8)."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from digikunta.accounts.tests.factories import PASSWORD, UserFactory
from digikunta.audit.models import AuditAction, AuditEvent
from digikunta.organisations.models import Invitation, Membership, MembershipRole

pytestmark = pytest.mark.django_db


def members_url(organisation, lang="en"):
    return f"/{lang}/organisations/{organisation.slug}/members/"


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form; the e-mail goes after the commit, as in production."""

    def _invite(client, organisation, email, role="member", lang="en"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(members_url(organisation, lang), {"email": email, "role": role})

    return _invite


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/mine/invitations/\S+/)", message.body).group(1)


def answer_url(invitation):
    return f"/en/organisations/mine/invitations/{invitation.pk}/"


def test_admin_cannot_add_a_person_without_their_consent(
    client, organisation, org_admin, outsider, invite
):
    client.force_login(org_admin)
    response = invite(client, organisation, outsider.email.upper(), role="admin")
    assert response.status_code == 302
    assert not Membership.objects.filter(organisation=organisation, user=outsider).exists()
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == outsider.email  # stored in lower case
    assert invitation.role == MembershipRole.ADMIN


def test_the_invite_answer_is_the_same_whether_or_not_the_address_has_an_account(
    client, organisation, org_admin, outsider, mailoutbox, invite
):
    client.force_login(org_admin)
    answers = []
    for email in (outsider.email, "nobody@example.fi"):
        response = invite(client, organisation, email)
        page = client.get(response["Location"]).content.decode()
        notice = re.search(r'<div class="messages".*?</div>', page, re.S).group(0)
        answers.append((response.status_code, response["Location"], notice.replace(email, "…")))
    assert answers[0] == answers[1]
    assert "we have sent an invitation" in answers[0][2]
    assert [m.to for m in mailoutbox] == [[outsider.email], ["nobody@example.fi"]]


def test_accepting_the_invitation_from_the_email_makes_the_person_a_member(
    client, organisation, org_admin, outsider, mailoutbox, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    link = link_in(mailoutbox[0])
    client.force_login(outsider)
    page = client.get(link)
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    invitation = Invitation.objects.get()
    response = client.post(answer_url(invitation), {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    membership = Membership.objects.get(organisation=organisation, user=outsider)
    assert membership.role == MembershipRole.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.MEMBERSHIP_CHANGED, actor=outsider, subject=outsider
    ).exists()
    # The link is used up.
    assert client.get(link).status_code == 404


def test_declining_leaves_the_person_outside(client, organisation, org_admin, outsider, invite):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    invitation = Invitation.objects.get()
    client.force_login(outsider)
    response = client.post(answer_url(invitation), {"answer": "decline"})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert client.post(answer_url(invitation), {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_another_account_cannot_see_or_accept_the_invitation(
    client, organisation, org_admin, outsider, resident, mailoutbox, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    invitation = Invitation.objects.get()
    client.force_login(resident)
    assert client.get(link_in(mailoutbox[0])).status_code == 404
    assert client.post(answer_url(invitation), {"answer": "accept"}).status_code == 404
    assert (
        organisation.name not in client.get("/en/organisations/mine/invitations/").content.decode()
    )
    assert not Membership.objects.filter(user__in=[resident, outsider]).exists()


def test_an_unverified_address_cannot_accept(client, organisation, org_admin, mailoutbox, invite):
    client.force_login(org_admin)
    invite(client, organisation, "uusi@example.fi")
    claimant = UserFactory(email="uusi@example.fi", verified=False)
    client.force_login(claimant)
    assert client.get(link_in(mailoutbox[0])).status_code == 404
    invitation = Invitation.objects.get()
    assert client.post(answer_url(invitation), {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(user=claimant).exists()


def test_a_person_without_an_account_signs_up_with_the_address_and_accepts(
    client, organisation, org_admin, mailoutbox, invite
):
    client.force_login(org_admin)
    invite(client, organisation, "uusi@example.fi")
    link = link_in(mailoutbox[0])
    client.logout()
    response = client.get(link)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    newcomer = UserFactory(email="uusi@example.fi")  # signed up and verified the address
    client.force_login(newcomer)
    assert "uusi@example.fi" in client.get("/en/organisations/mine/invitations/").content.decode()
    client.post(answer_url(Invitation.objects.get()), {"answer": "accept"})
    assert Membership.objects.filter(organisation=organisation, user=newcomer).exists()


def test_an_expired_invitation_is_refused(
    client, organisation, org_admin, outsider, mailoutbox, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(outsider)
    assert client.get(link_in(mailoutbox[0])).status_code == 404
    assert client.post(answer_url(invitation), {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_inviting_again_renews_the_invitation_and_the_old_link_stops_working(
    client, organisation, org_admin, outsider, mailoutbox, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    invite(client, organisation, outsider.email, role="admin")
    assert Invitation.objects.count() == 1
    client.force_login(outsider)
    assert client.get(link_in(mailoutbox[0])).status_code == 404
    assert client.get(link_in(mailoutbox[1])).status_code == 200


def test_promotion_to_administrator_waits_for_the_members_acceptance(
    client, organisation, org_admin, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{members_url(organisation)}{member.pk}/", {"role": "admin", "action": "change"}
        )
    assert response.status_code == 302
    assert Membership.objects.get(user=member).role == MembershipRole.MEMBER
    assert mailoutbox[0].to == [member.email]
    client.force_login(member)
    client.post(answer_url(Invitation.objects.get()), {"answer": "accept"})
    assert Membership.objects.get(user=member).role == MembershipRole.ADMIN


def test_a_member_invited_as_a_member_again_gets_no_email_and_the_same_answer(
    client, organisation, org_admin, member, mailoutbox, invite
):
    client.force_login(org_admin)
    response = invite(client, organisation, member.email)
    assert response.status_code == 302
    assert "we have sent an invitation" in client.get(response["Location"]).content.decode()
    assert mailoutbox == []
    assert not Invitation.objects.exists()


def test_an_admin_cannot_make_a_victim_sole_admin_and_leave(
    client, organisation, org_admin, outsider, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email, role="admin")
    response = client.post(f"/en/organisations/{organisation.slug}/leave/", follow=True)
    assert "needs at least one administrator" in response.content.decode()
    assert Membership.objects.filter(user=org_admin, role=MembershipRole.ADMIN).exists()
    assert not Membership.objects.filter(user=outsider).exists()
    # Once the invitee has chosen to be an administrator, the founder may go.
    client.force_login(outsider)
    client.post(answer_url(Invitation.objects.get()), {"answer": "accept"})
    client.force_login(org_admin)
    client.post(f"/en/organisations/{organisation.slug}/leave/")
    assert list(organisation.memberships.values_list("user", "role")) == [
        (outsider.pk, MembershipRole.ADMIN)
    ]


def test_the_email_is_in_the_invitees_language(client, organisation, org_admin, mailoutbox, invite):
    UserFactory(email="ruotsi@example.fi", language="sv")
    client.force_login(org_admin)
    invite(client, organisation, "ruotsi@example.fi", lang="fi")
    # The link (and the text, rendered under the same language) is in Swedish.
    assert "/sv/organisations/mine/invitations/" in mailoutbox[0].body
    assert organisation.name in mailoutbox[0].subject


def test_the_email_to_an_address_without_account_is_in_the_inviters_language(
    client, organisation, org_admin, mailoutbox, invite
):
    client.force_login(org_admin)
    invite(client, organisation, "nobody@example.fi", lang="en")
    assert "invites you to join" in mailoutbox[0].body
    assert "/en/organisations/mine/invitations/" in mailoutbox[0].body


def test_a_wrong_address_is_refused_with_the_field_named_and_nothing_written(
    client, organisation, org_admin, mailoutbox, invite
):
    client.force_login(org_admin)
    response = invite(client, organisation, "not-an-address")
    assert response.status_code == 422
    assert 'href="#id_email"' in response.content.decode()
    assert 'value="not-an-address"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("outsider", 403)])
def test_only_admins_invite(client, organisation, role, status, request, mailoutbox, invite):
    client.force_login(request.getfixturevalue(role))
    assert invite(client, organisation, "nobody@example.fi", role="admin").status_code == status
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_anonymous_people_cannot_invite(client, organisation, invite):
    response = invite(client, organisation, "nobody@example.fi")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not Invitation.objects.exists()


def test_admin_sees_and_withdraws_an_open_invitation(
    client, organisation, org_admin, member, invite
):
    client.force_login(org_admin)
    invite(client, organisation, "nobody@example.fi")
    invitation = Invitation.objects.get()
    assert "nobody@example.fi" in client.get(members_url(organisation)).content.decode()
    withdraw = f"/en/organisations/{organisation.slug}/invitations/{invitation.pk}/withdraw/"
    client.force_login(member)
    assert client.post(withdraw).status_code == 403
    client.force_login(org_admin)
    assert client.post(withdraw).status_code == 302
    assert not Invitation.objects.exists()


def test_answering_needs_a_post_and_a_choice(client, organisation, org_admin, outsider, invite):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    invitation = Invitation.objects.get()
    client.force_login(outsider)
    assert client.get(answer_url(invitation)).status_code == 405
    response = client.post(answer_url(invitation), {"answer": "maybe"})
    assert response.status_code == 422
    assert not Membership.objects.filter(user=outsider).exists()


def test_the_invitations_page_lists_only_open_ones_and_answers_htmx_with_its_fragment(
    client, organisation, org_admin, outsider, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    client.force_login(outsider)
    response = client.get("/en/organisations/mine/invitations/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="invitations"')
    assert organisation.name in html
    Invitation.objects.update(expires_at=timezone.now())
    html = client.get("/en/organisations/mine/invitations/").content.decode()
    assert "no invitations waiting" in html


def test_export_holds_the_invitations_to_the_persons_address(
    client, organisation, org_admin, outsider, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    client.force_login(outsider)
    data = json.loads(client.post("/en/account/settings/data/export/").content)["data"]
    assert data["organisations.invitation"][0]["email"] == outsider.email
    assert data["organisations.invitation"][0]["organisation"] == organisation.pk
    # The inviter's export does not hold other people's addresses.
    client.force_login(org_admin)
    assert outsider.email not in client.post("/en/account/settings/data/export/").content.decode()


def test_erasure_deletes_the_invitations_to_the_persons_address(
    client, organisation, org_admin, outsider, invite
):
    client.force_login(org_admin)
    invite(client, organisation, outsider.email)
    client.force_login(outsider)
    response = client.post("/en/account/settings/data/erase/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_purge_deletes_expired_invitations_only(client, organisation, org_admin, invite):
    client.force_login(org_admin)
    invite(client, organisation, "vanha@example.fi")
    invite(client, organisation, "uusi@example.fi")
    Invitation.objects.filter(email="vanha@example.fi").update(expires_at=timezone.now())
    out = io.StringIO()
    call_command("purge_invitations", stdout=out)
    assert "Deleted 1 " in out.getvalue()
    assert list(Invitation.objects.values_list("email", flat=True)) == ["uusi@example.fi"]
