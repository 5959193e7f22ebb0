"""A municipality's and an organisation's page show their work (issue 10): experiments by
stage with their outcomes, the organisations and partners involved, and the people open for
contact."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Visibility
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuopio(reference_data):
    return Organisation.objects.get(municipality_id="297")


def _section(html: str, title_id: str) -> str:
    return re.search(rf'<section aria-labelledby="{title_id}">.*?</section>', html, re.S)[0]


def test_a_municipality_page_lists_its_experiments_by_stage_with_outcomes(client, kuopio):
    place = Municipality.objects.get(code="297")
    ended = ExperimentFactory(owner=kuopio, title="Kirjastobussi kylille", ended=True)
    ended.municipalities.add(place)
    running = ExperimentFactory(owner=kuopio, title="Etälukio", status="running")
    running.municipalities.add(place)
    draft = ExperimentFactory(owner=kuopio, title="Salainen luonnos", visibility=Visibility.DRAFT)
    draft.municipalities.add(place)
    partner = OrganisationFactory(name="Savon Koodarit Oy", kind="company")
    ended.partners.add(partner)

    html = client.get("/fi/municipalities/297/").content.decode()
    work = _section(html, "work-title")

    assert work.index("Käynnissä (1)") < work.index("Päättynyt (1)")  # the lifecycle's order
    assert "Kirjastobussi kylille" in work and "Onnistui osittain" in work
    assert "Salainen luonnos" not in html
    involved = _section(html, "involved-title")
    assert "Savon Koodarit Oy" in involved and kuopio.display_name in involved
    assert "Asukasluku (2024)" in html or re.search(r"Asukasluku \(\d{4}\)", html)


def test_an_organisation_page_lists_owned_and_partner_experiments(client, kuopio):
    own = ExperimentFactory(owner=kuopio, title="Kuopion oma kokeilu")
    other = ExperimentFactory(title="Naapurin kokeilu", status="planned")
    other.partners.add(kuopio)

    html = client.get(kuopio.get_absolute_url()).content.decode()
    work = _section(html, "work-title")

    assert own.title in work and other.title in work
    assert other.owner.display_name in _section(html, "involved-title")


def test_only_people_who_chose_it_are_shown_as_contacts(client, kuopio):
    shown = UserFactory(
        name="Kaisa Kehittäjä", open_for_contact=True, contact_title="digikehittäjä"
    )
    hidden = UserFactory(name="Pekka Piilossa")
    MembershipFactory(organisation=kuopio, user=shown)
    MembershipFactory(organisation=kuopio, user=hidden)

    for url in (kuopio.get_absolute_url(), "/fi/municipalities/297/"):
        contacts = _section(client.get(url).content.decode(), "contacts-title")
        assert "Kaisa Kehittäjä, digikehittäjä" in contacts and shown.email in contacts, url
        assert "Pekka Piilossa" not in contacts and hidden.email not in contacts, url


def test_choosing_to_be_a_contact_stales_the_cached_pages(
    client, kuopio, django_capture_on_commit_callbacks
):
    person = UserFactory(name="Kaisa Kehittäjä")
    MembershipFactory(organisation=kuopio, user=person)
    url = kuopio.get_absolute_url()
    assert "Kaisa Kehittäjä" not in client.get(url).content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(person)
        client.post(
            "/fi/account/settings/",
            {"name": person.name, "language": "fi", "open_for_contact": "on", "contact_title": ""},
        )
        client.logout()

    assert "Kaisa Kehittäjä" in _section(client.get(url).content.decode(), "contacts-title")


def test_the_pages_queries_do_not_grow_with_the_experiments(client, kuopio):
    place = Municipality.objects.get(code="297")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get("/fi/municipalities/297/", {"fresh": len(captured)}).status_code == 200
            )
        return len(captured)

    for i in range(2):
        ExperimentFactory(owner=kuopio, title=f"Kokeilu {i}").municipalities.add(place)
    few = queries()
    for i in range(20):
        experiment = ExperimentFactory(owner=kuopio, title=f"Lisää {i}", status="running")
        experiment.municipalities.add(place)
        experiment.partners.add(OrganisationFactory())
    assert queries() == few
