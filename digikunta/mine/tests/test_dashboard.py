"""Oma Digikunta (issue 10): after login a person lands on what is theirs and what waits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digikunta.experiments import services as experiment_services
from digikunta.experiments.models import Follow
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory
from digikunta.organisations import services as organisation_services

pytestmark = pytest.mark.django_db


def test_logging_in_lands_on_my_digikunta(client, resident):
    from digikunta.accounts.tests.factories import PASSWORD

    response = client.post("/fi/account/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/fi/mine/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/fi/mine/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_lead_sees_their_draft_with_its_next_action(client, member, organisation):
    draft = experiment_services.experiment_create(
        by=member, owner=organisation, title="Oma luonnos", summary="Luonnos."
    )
    client.force_login(member)
    html = client.get("/fi/mine/").content.decode()

    assert "Oma luonnos" in html and organisation.display_name in html
    waiting = html[html.index('id="waiting-title"') : html.index('id="my-experiments-title"')]
    assert "Oma luonnos" in waiting and draft.get_absolute_url() in waiting


def test_an_administrator_sees_the_requests_to_join(client, organisation, org_admin, resident):
    organisation_services.join_request_create(organisation=organisation, user=resident)
    client.force_login(org_admin)
    html = client.get("/en/mine/").content.decode()

    assert f"1 person asks to join {organisation.display_name}." in html
    assert f"/en/organisations/{organisation.slug}/members/" in html


def test_follows_are_listed(client, resident):
    experiment = ExperimentFactory(title="Seurattava kokeilu")
    Follow.objects.create(user=resident, experiment=experiment)
    client.force_login(resident)
    assert "Seurattava kokeilu" in client.get("/fi/mine/").content.decode()


def test_the_page_costs_the_same_queries_however_much_a_person_has(client, member, organisation):
    client.force_login(member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/fi/mine/").status_code == 200
        return len(captured)

    TeamMemberFactory(experiment=ExperimentFactory(owner=organisation), user=member)
    few = queries()
    for _ in range(10):
        experiment = ExperimentFactory(owner=organisation)
        TeamMemberFactory(experiment=experiment, user=member)
        Follow.objects.create(user=member, experiment=experiment)
    assert queries() == few


def test_a_moderator_sees_the_reported_items_waiting(client, moderator, member, resident):
    from digikunta.moderation import services as moderation_services

    experiment = ExperimentFactory()
    entry = experiment_services.journal_entry_create(experiment=experiment, by=member, body="X")
    moderation_services.report_create(reporter=resident, obj=entry, reason="spam")
    client.force_login(moderator)
    html = client.get("/en/mine/").content.decode()
    assert "One reported item waits for the moderators." in html
    assert 'href="/en/moderation/"' in html
    client.force_login(resident)
    assert "reported item" not in client.get("/en/mine/").content.decode()
