"""Drafts stay private until published (issue 10): the page, the case bank and its search, the
exports and the API all agree on who sees a draft."""

import json

import pytest
from django.test import Client

from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments import services
from digikunta.experiments.models import Experiment, TeamRole, Visibility
from digikunta.experiments.tests.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db

TITLE = "Luonnostelukokeilu kirjastoon"


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


@pytest.fixture
def lead(db, organisation):
    from digikunta.organisations.tests.factories import MembershipFactory

    user = UserFactory(name="Liisa Vetäjä")
    MembershipFactory(organisation=organisation, user=user)
    return user


@pytest.fixture
def draft(lead, organisation):
    return services.experiment_create(
        by=lead, owner=organisation, title=TITLE, summary="Kirjaston luonnos."
    )


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _sees(user, experiment: Experiment) -> dict[str, bool]:
    """Where this person finds the experiment: its page, the case bank, its search, the API."""
    client = _client(user)
    listed = client.get("/fi/casebank/").context["page"].object_list
    found = client.get("/fi/casebank/", {"q": "luonnostelukokeilu"}).context["page"].object_list
    api = client.get(f"/api/v1/experiments/{experiment.pk}", **(auth(user) if user else {}))
    api_list = client.get("/api/v1/experiments", **(auth(user) if user else {})).json()
    return {
        "page": client.get(experiment.get_absolute_url()).status_code == 200,
        "case bank": experiment.pk in [e.pk for e in listed],
        "search": experiment.pk in [e.pk for e in found],
        "api": api.status_code == 200,
        "api list": experiment.pk in [e["id"] for e in api_list["results"]],
    }


EVERYWHERE = {"page": True, "case bank": True, "search": True, "api": True, "api list": True}
NOWHERE = dict.fromkeys(EVERYWHERE, False)


def test_a_new_experiment_is_a_draft_its_team_admins_and_coordinators_see(
    draft, lead, member, org_admin, coordinator, outsider
):
    assert draft.visibility == Visibility.DRAFT and draft.published_at is None
    for person in (lead, org_admin, coordinator):
        assert _sees(person, draft) == EVERYWHERE, person
    # A member of the organisation who is not on its team sees it only once published.
    for person in (member, outsider, None):
        assert _sees(person, draft) == NOWHERE, person


def test_a_draft_is_not_exported(draft, client):
    exported = json.loads(b"".join(client.get("/fi/casebank/export.json").streaming_content))
    assert TITLE not in [row["title"] for row in exported]
    csv = b"".join(client.get("/fi/casebank/export.csv").streaming_content).decode("utf-8-sig")
    assert TITLE not in csv


def test_the_lead_publishes_for_everyone_and_unpublishes(
    draft, lead, outsider, django_capture_on_commit_callbacks
):
    client = _client(lead)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Luonnos – ei julkaistu" in page and "Julkaise" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fi/experiments/{draft.slug}/publish/", {"visibility": "public"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.visibility == Visibility.PUBLIC and draft.published_at is not None
    assert _sees(outsider, draft) == EVERYWHERE
    assert _sees(None, draft) == EVERYWHERE

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fi/experiments/{draft.slug}/unpublish/")
    draft.refresh_from_db()
    assert draft.visibility == Visibility.DRAFT and draft.published_at is None
    assert _sees(outsider, draft) == NOWHERE
    assert _sees(None, draft) == NOWHERE


def test_published_to_members_the_organisation_sees_it_and_nobody_else(
    draft, lead, member, outsider
):
    _client(lead).post(f"/fi/experiments/{draft.slug}/publish/", {"visibility": "members"})

    draft.refresh_from_db()
    assert draft.visibility == Visibility.MEMBERS
    assert _sees(member, draft) == {**EVERYWHERE, "api list": True}
    assert _sees(outsider, draft) == NOWHERE


def test_only_the_lead_admins_and_coordinators_may_publish(draft, member, org_admin):
    helper = TeamMemberFactory(experiment=draft, user=UserFactory(), role=TeamRole.MEMBER).user
    for person in (helper, member):
        response = _client(person).post(
            f"/fi/experiments/{draft.slug}/publish/", {"visibility": "public"}
        )
        assert response.status_code in (403, 404), person
    draft.refresh_from_db()
    assert draft.visibility == Visibility.DRAFT
    # The helper on the team sees the draft, and no publish button on it.
    page = _client(helper).get(draft.get_absolute_url()).content.decode()
    assert "Luonnos – ei julkaistu" in page and 'name="visibility"' not in page

    _client(org_admin).post(f"/fi/experiments/{draft.slug}/publish/", {"visibility": "public"})
    draft.refresh_from_db()
    assert draft.visibility == Visibility.PUBLIC


def test_publishing_needs_an_audience(draft, lead):
    response = _client(lead).post(
        f"/en/experiments/{draft.slug}/publish/", {"visibility": "draft"}, follow=True
    )
    assert "Choose who may see the experiment." in response.content.decode()
    draft.refresh_from_db()
    assert draft.visibility == Visibility.DRAFT


def test_the_form_creates_a_draft_and_offers_no_audience_for_it(lead, organisation):
    client = _client(lead)
    assert 'name="visibility"' not in client.get("/fi/experiments/new/").content.decode()
    response = client.post(
        "/fi/experiments/new/",
        {
            "owner": organisation.pk,
            "title": "Lomakkeen luonnos",
            "summary": "Tiivistelmä.",
            "language": "fi",
        },
        follow=True,
    )
    experiment = Experiment.objects.get(title="Lomakkeen luonnos")
    assert experiment.visibility == Visibility.DRAFT
    assert "Se on luonnos" in response.content.decode()
    edit = client.get(f"/fi/experiments/{experiment.slug}/edit/").content.decode()
    assert 'name="visibility"' not in edit


def test_a_reused_copy_is_a_draft_until_edited_and_published(draft, lead, organisation):
    services.experiment_publish(experiment=draft, by=lead, visibility=Visibility.PUBLIC)
    copy = services.experiment_reuse(original=draft, owner=organisation, by=lead)

    assert copy.visibility == Visibility.DRAFT
    found = _client().get("/fi/casebank/", {"q": "luonnostelukokeilu"}).context["page"]
    assert [e.pk for e in found.object_list] == [draft.pk]  # the copy does not rank first


def test_the_api_creates_drafts_and_publishes_only_for_those_who_may(lead, organisation, outsider):
    client = _client()
    body = {"owner": organisation.slug, "title": "Rajapinnan luonnos", "summary": "Rajapinta."}
    created = client.post(
        "/api/v1/experiments", body, content_type="application/json", **auth(lead)
    ).json()
    assert created["visibility"] == "draft" and created["published_at"] is None
    assert client.get(f"/api/v1/experiments/{created['id']}").status_code == 404

    experiment = Experiment.objects.get(pk=created["id"])
    helper = TeamMemberFactory(experiment=experiment, user=UserFactory(), role=TeamRole.MEMBER).user
    refused = client.patch(
        f"/api/v1/experiments/{created['id']}",
        {"visibility": "public"},
        content_type="application/json",
        **auth(helper),
    )
    assert refused.status_code == 403
    published = client.patch(
        f"/api/v1/experiments/{created['id']}",
        {"visibility": "public"},
        content_type="application/json",
        **auth(lead),
    )
    assert published.status_code == 200 and published.json()["visibility"] == "public"
    experiment.refresh_from_db()
    assert experiment.visibility == Visibility.PUBLIC and experiment.published_at is not None
    assert client.get(f"/api/v1/experiments/{created['id']}").status_code == 200

    at_once = client.post(
        "/api/v1/experiments",
        {**body, "title": "Suoraan julki", "visibility": "public"},
        content_type="application/json",
        **auth(lead),
    ).json()
    assert Experiment.objects.get(pk=at_once["id"]).published_at is not None
