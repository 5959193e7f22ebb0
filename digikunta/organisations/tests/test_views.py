"""Organisation pages: list, found, edit, members. Happy paths, refusals and bad input."""

import pytest

from digikunta.audit.models import AuditAction, AuditEvent
from digikunta.organisations.models import Invitation, Membership, MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "association",
    "name": "Digitukiyhdistys ry",
    "name_sv": "",
    "home_municipality": "297",
    "business_id": "1572860-0",
    "website": "https://digituki.example.fi",
    "description": "Autamme ikäihmisiä.",
    "description_language": "fi",
}


def test_list_shows_municipalities_and_filters_by_type(client, organisation):
    response = client.get("/fi/organisations/", {"kind": "association"})
    assert response.status_code == 200
    html = response.content.decode()
    assert organisation.name in html
    assert "Helsinki" not in html
    assert "Helsinki" in client.get("/fi/organisations/", {"q": "Helsin"}).content.decode()


def test_list_answers_htmx_with_the_results_fragment_only(client, organisation):
    response = client.get("/fi/organisations/", {"q": "Kokeilu"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_list_queries_do_not_grow_with_the_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/fi/organisations/").status_code == 200


def test_bad_filter_answers_400_and_keeps_what_was_typed(client):
    response = client.get("/fi/organisations/", {"kind": "castle", "q": "Kuopio"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Kuopio"' in html
    assert "error-summary" in html


def test_founding_an_organisation_makes_the_founder_its_admin(client, resident):
    client.force_login(resident)
    response = client.post("/fi/organisations/new/", VALID)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Digitukiyhdistys ry")
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.slug == "digitukiyhdistys-ry"
    assert organisation.home_municipality_id == "297"
    assert Membership.objects.get(organisation=organisation).user == resident
    assert AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_CHANGED, actor=resident).exists()


def test_a_wrong_business_id_is_refused_with_the_field_named_and_nothing_written(client, resident):
    client.force_login(resident)
    response = client.post("/en/organisations/new/", {**VALID, "business_id": "1572860-1"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Business ID" in html and "check digit" in html
    assert 'value="Digitukiyhdistys ry"' in html  # what was typed is kept
    assert 'href="#id_business_id"' in html  # the error summary links to the field
    assert not Organisation.objects.filter(name="Digitukiyhdistys ry").exists()


def test_the_message_is_in_the_users_language(client, resident):
    client.force_login(resident)
    response = client.post("/fi/organisations/new/", {**VALID, "business_id": "abc"})
    assert response.status_code == 422
    assert "Y-tunnus" in response.content.decode()


def test_municipality_is_not_a_self_service_type(client, resident):
    client.force_login(resident)
    response = client.post("/en/organisations/new/", {**VALID, "kind": "municipality"})
    assert response.status_code == 422
    assert not Organisation.objects.filter(name="Digitukiyhdistys ry").exists()


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/fi/organisations/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/account/login/")


def test_wrong_method_is_refused(client, organisation):
    assert client.delete(f"/fi/organisations/{organisation.slug}/").status_code == 405


def test_only_admins_edit(client, organisation, member, org_admin):
    client.force_login(member)
    assert client.get(f"/fi/organisations/{organisation.slug}/edit/").status_code == 403
    client.force_login(org_admin)
    response = client.post(
        f"/fi/organisations/{organisation.slug}/edit/", {**VALID, "name": "Uusi nimi ry"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Uusi nimi ry"


def test_unknown_organisation_is_404(client):
    assert client.get("/fi/organisations/no-such-org/").status_code == 404


def test_members_are_shown_to_members_only(client, organisation, member):
    assert member.name not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(member)
    assert member.name in client.get(organisation.get_absolute_url()).content.decode()


def test_admin_demotes_another_admin_and_removes_a_member(client, organisation, org_admin, member):
    other = MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN).user
    client.force_login(org_admin)
    url = f"/fi/organisations/{organisation.slug}/members/"
    response = client.post(f"{url}{other.pk}/", {"role": "member", "action": "change"})
    assert response.status_code == 302
    assert Membership.objects.get(organisation=organisation, user=other).role == "member"
    client.post(f"{url}{member.pk}/", {"action": "remove"})
    assert not Membership.objects.filter(organisation=organisation, user=member).exists()
    events = AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_CHANGED, actor=org_admin)
    assert events.count() == 2


def test_the_last_admin_cannot_leave_or_be_demoted(client, organisation, org_admin):
    client.force_login(org_admin)
    client.post(f"/en/organisations/{organisation.slug}/leave/")
    assert Membership.objects.filter(organisation=organisation, user=org_admin).exists()
    client.post(
        f"/en/organisations/{organisation.slug}/members/{org_admin.pk}/",
        {"role": "member", "action": "change"},
    )
    assert (
        Membership.objects.get(organisation=organisation, user=org_admin).role
        == MembershipRole.ADMIN
    )


def test_a_member_leaves(client, organisation, member):
    client.force_login(member)
    response = client.post(f"/fi/organisations/{organisation.slug}/leave/")
    assert response.status_code == 302
    assert not Membership.objects.filter(organisation=organisation, user=member).exists()


def test_member_cannot_manage_members(client, organisation, member, outsider):
    client.force_login(member)
    response = client.post(
        f"/fi/organisations/{organisation.slug}/members/",
        {"email": outsider.email, "role": "admin"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=outsider).exists()
    assert not Invitation.objects.exists()


def test_form_posts_are_rate_limited(client, resident, settings):
    settings.RATELIMIT_FORM_POSTS = "3/h"  # an hour's window: the test never straddles two
    client.force_login(resident)
    statuses = [
        client.post("/fi/organisations/new/", {**VALID, "business_id": "x"}).status_code
        for _attempt in range(5)
    ]
    assert statuses == [422, 422, 422, 429, 429]
    assert not Organisation.objects.filter(name=VALID["name"]).exists()
