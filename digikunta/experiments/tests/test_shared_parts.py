"""Signed-in viewers get an experiment's page from shared parts (core/fragments.py, ADR 0013):
fast, never stale after a registered write, and with their own buttons and forms."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from digikunta.experiments import services
from digikunta.experiments.models import Experiment
from digikunta.experiments.tests.factories import ExperimentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def experiment(organisation):
    return ExperimentFactory(owner=organisation, title="Kirjastobussi tekstiviestillä")


@pytest.fixture
def other(organisation):
    return ExperimentFactory(owner=organisation, title="Etälukio saaristoon")


@pytest.fixture
def viewer(client, resident):
    client.force_login(resident)  # signed in, not on the team: the page cache never serves them
    return client


def _url(experiment) -> str:
    return experiment.get_absolute_url().replace("/fi/", "/en/", 1)


def _heading(client, experiment) -> str:
    page = client.get(_url(experiment))
    assert page.status_code == 200
    found = re.search(r'<h1 id="experiment-title">([^<]*)</h1>', page.content.decode())
    assert found
    return found[1]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_a_second_view_reads_none_of_the_experiments_rows(viewer, experiment, member):
    for i in range(3):
        services.journal_entry_create(experiment=experiment, by=member, body=f"Merkintä {i}")
    url = _url(experiment)

    first = _queries(viewer, url)
    again = _queries(viewer, url)

    assert again < first - 10  # journal, steps, indicators, similar…: rendered once
    assert "Merkintä 2" in viewer.get(url).content.decode()


def test_a_saved_change_shows_at_once_to_signed_in_viewers(
    viewer, experiment, member, django_capture_on_commit_callbacks
):
    assert _heading(viewer, experiment) == "Kirjastobussi tekstiviestillä"

    with django_capture_on_commit_callbacks(execute=True):
        services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")

    assert _heading(viewer, experiment) == "Kirjastovene"


def test_editing_experiment_a_leaves_the_shared_parts_of_b_as_they_were(
    viewer, experiment, other, member, django_capture_on_commit_callbacks
):
    _heading(viewer, experiment), _heading(viewer, other)
    Experiment.objects.filter(pk=other.pk).update(title="Etälukio tuntureille")  # no signal

    with django_capture_on_commit_callbacks(execute=True):
        services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")

    assert _heading(viewer, experiment) == "Kirjastovene"
    assert _heading(viewer, other) == "Etälukio saaristoon"  # still the stored part


def test_each_viewer_sees_their_own_follow_button(
    client, experiment, resident, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_set(user=resident, experiment=experiment, following=True)
    follower, stranger = Client(), Client()
    follower.force_login(resident)
    stranger.force_login(outsider)

    assert "Stop following" in follower.get(_url(experiment)).content.decode()
    page = stranger.get(_url(experiment)).content.decode()
    assert "Stop following" not in page and ">Follow<" in page


def test_the_team_gets_their_forms_and_others_never_see_them(viewer, member, organisation):
    experiment = services.experiment_create(
        by=member, owner=organisation, title="Kirjastobussi", summary="Tekstiviestillä."
    )
    lead = Client()
    lead.force_login(member)
    url = _url(experiment)

    viewer_page = viewer.get(url).content.decode()
    lead_page = lead.get(url).content.decode()

    assert "Add a step" in lead_page and "Manage the team" in lead_page
    assert "Add a step" not in viewer_page and "Manage the team" not in viewer_page
    # The lead's page (with forms and tokens) was not stored for the next viewer either.
    assert "Add a step" not in viewer.get(url).content.decode()


def test_the_navigation_is_shared_but_the_logout_form_is_each_persons(client, resident, outsider):
    anonymous = client.get("/en/accessibility/").content.decode()
    first, second = Client(), Client()
    first.force_login(resident)
    second.force_login(outsider)

    pages = [c.get("/en/accessibility/").content.decode() for c in (first, second)]

    assert "Log in" in anonymous and "My Digikunta" not in anonymous
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p)[1] for p in pages]
    assert all("My Digikunta" in p and "Log out" in p and "Log in" not in p for p in pages)
    assert tokens[0] != tokens[1]


def test_the_case_bank_shows_a_signed_in_viewer_the_new_title_at_once(
    viewer, experiment, other, member, django_capture_on_commit_callbacks
):
    assert "Kirjastobussi tekstiviestillä" in viewer.get("/en/casebank/").content.decode()
    Experiment.objects.filter(pk=other.pk).update(title="Etälukio tuntureille")  # no signal

    with django_capture_on_commit_callbacks(execute=True):
        services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")

    page = viewer.get("/en/casebank/").content.decode()
    assert "Kirjastovene" in page and "Kirjastobussi tekstiviestillä" not in page
    assert "Etälukio saaristoon" in page  # B's card is still the stored one


def test_the_api_detail_is_stored_but_never_stale_nor_shown_to_the_wrong_reader(
    client, experiment, member, django_capture_on_commit_callbacks
):
    url = f"/api/v1/experiments/{experiment.pk}"
    assert client.get(url).json()["title"] == "Kirjastobussi tekstiviestillä"

    with django_capture_on_commit_callbacks(execute=True):
        services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")
    assert client.get(url).json()["title"] == "Kirjastovene"

    with django_capture_on_commit_callbacks(execute=True):
        services.experiment_update(experiment=experiment, by=member, visibility="members")
    assert client.get(url).status_code == 404


def test_the_api_list_stores_items_but_shows_an_edit_at_once(
    client, experiment, other, member, django_capture_on_commit_callbacks
):
    def titles() -> set[str]:
        return {e["title"] for e in client.get("/api/v1/experiments").json()["results"]}

    assert titles() == {"Kirjastobussi tekstiviestillä", "Etälukio saaristoon"}
    Experiment.objects.filter(pk=other.pk).update(title="Etälukio tuntureille")  # no signal

    with django_capture_on_commit_callbacks(execute=True):
        services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")

    assert titles() == {"Kirjastovene", "Etälukio saaristoon"}  # B's item is the stored one


def test_a_change_committed_while_the_page_renders_is_not_stored_as_current(
    viewer, experiment, member, django_capture_on_commit_callbacks, monkeypatch
):
    from digikunta.experiments import views

    fetch = views.get_experiment_for_user_or_404

    def fetch_then_someone_edits(*args, **kwargs):
        found = fetch(*args, **kwargs)  # this request holds the old title from here on
        if found.title == "Kirjastobussi tekstiviestillä":
            with django_capture_on_commit_callbacks(execute=True):
                services.experiment_update(
                    experiment=Experiment.objects.get(pk=found.pk), by=member, title="Kirjastovene"
                )
        return found

    monkeypatch.setattr(views, "get_experiment_for_user_or_404", fetch_then_someone_edits)
    _heading(viewer, experiment)  # rendered from the old row, stored under the old versions

    assert _heading(viewer, experiment) == "Kirjastovene"
