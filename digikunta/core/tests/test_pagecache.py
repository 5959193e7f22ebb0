"""The page cache serves anonymous visitors fast and never shows stale or personal pages."""

import pytest
from django.urls import reverse

from digikunta.experiments import services
from digikunta.experiments.models import Experiment
from digikunta.experiments.tests.factories import ExperimentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def experiment(organisation):
    return ExperimentFactory(owner=organisation, title="Kirjastobussi tekstiviestillä")


def _rename_behind_the_caches_back(experiment, title):
    Experiment.objects.filter(pk=experiment.pk).update(title=title)  # sends no signal


def test_anonymous_visitor_is_served_the_stored_page(client, experiment):
    url = experiment.get_absolute_url()
    assert "Kirjastobussi" in client.get(url).content.decode()
    _rename_behind_the_caches_back(experiment, "Kirjastovene")

    again = client.get(url)

    assert again.status_code == 200
    assert "Kirjastobussi" in again.content.decode()
    assert again["Content-Type"].startswith("text/html")
    assert again["Content-Language"] == "fi"


@pytest.mark.django_db(transaction=True)  # the generation is bumped by a real commit
def test_a_saved_change_shows_at_once(client, experiment, member):
    url = experiment.get_absolute_url()
    client.get(url)

    services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")

    assert "Kirjastovene" in client.get(url).content.decode()


def test_a_change_rolled_back_keeps_the_cached_page(client, experiment):
    url = experiment.get_absolute_url()
    client.get(url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")

    experiment.title = "Rolled back"
    experiment.save()  # inside the test's transaction: its commit never comes

    assert "Kirjastobussi" in client.get(url).content.decode()


def test_signed_in_people_always_get_a_fresh_page(client, experiment, resident):
    url = experiment.get_absolute_url()
    client.get(url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")
    client.force_login(resident)

    page = client.get(url).content.decode()

    assert "Kirjastovene" in page
    assert "Log out" in page or "Kirjaudu ulos" in page


def test_a_page_that_used_a_csrf_token_is_not_stored(client, organisation, resident):
    client.force_login(resident)
    client.get(reverse("casebank:casebank"))  # signed in: not stored either
    client.logout()
    url = reverse("account_login")  # not cached, but the rule must hold for any view

    from django.http import HttpRequest

    from digikunta.core.pagecache import _storable

    request = HttpRequest()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    response = client.get(url)
    assert not _storable(request, response)


def test_each_language_and_filter_has_its_own_page(client, experiment):
    fi = client.get("/fi/casebank/").content.decode()
    sv = client.get("/sv/casebank/").content.decode()
    filtered = client.get("/fi/casebank/?status=ended").content.decode()

    assert 'lang="fi"' in fi and 'lang="sv"' in sv
    assert "Kirjastobussi" in fi and "Kirjastobussi" not in filtered


def test_htmx_partial_and_full_page_are_stored_apart(client, experiment):
    full = client.get("/fi/casebank/").content.decode()
    partial = client.get("/fi/casebank/", headers={"HX-Request": "true"}).content.decode()

    assert "<html" in full and "<html" not in partial
    assert "<html" in client.get("/fi/casebank/").content.decode()


def test_the_cache_can_be_turned_off(client, experiment, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = experiment.get_absolute_url()
    client.get(url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")

    assert "Kirjastovene" in client.get(url).content.decode()


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(client, experiment):
    url = experiment.get_absolute_url()
    client.get(url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")
    client.cookies["messages"] = "anything"

    assert "Kirjastovene" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_hidden_experiment_is_not_served_from_the_cache(client, experiment):
    url = experiment.get_absolute_url()
    client.get(url)

    experiment.visibility = "members"
    experiment.save(update_fields=["visibility"])

    assert client.get(url).status_code == 404
