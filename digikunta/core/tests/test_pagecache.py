"""The page cache serves anonymous visitors fast and never shows stale or personal pages."""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from digikunta.accounts.services import token_create
from digikunta.core import pagecache
from digikunta.experiments import services
from digikunta.experiments.models import Experiment, Theme, Visibility
from digikunta.experiments.tests.factories import ExperimentFactory, IndicatorFactory
from digikunta.funding import services as funding
from digikunta.funding.models import Call
from digikunta.funding.tests.factories import CallFactory, reviewed

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


def test_signed_in_people_are_never_served_a_stored_page(client, experiment, resident):
    url = experiment.get_absolute_url()
    client.get(url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")
    client.force_login(resident)

    page = client.get(url).content.decode()

    # Their page is made for them (the parts everyone sees may come from the fragment cache,
    # ADR 0013, which a registered write refreshes: experiments/tests/test_shared_parts.py).
    assert "<title>Kirjastovene – Digikunta</title>" in page
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


# --- Keys per object (ADR 0012): a write stales the pages that show it, nothing else -----------


def _commit():
    """What the test wrote so far is committed, as far as the page cache can tell: the
    callbacks waiting for the commit run (the test's own transaction is rolled back)."""
    connection = transaction.get_connection()
    callbacks = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in callbacks:
        callback()


@contextlib.contextmanager
def committed():
    yield
    _commit()


def _visit(client, *urls):
    """An anonymous visitor sees the pages after the setup was committed: now they are cached."""
    _commit()
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.fixture
def other(organisation):
    return ExperimentFactory(owner=organisation, title="Etälukio saaristoon")


def _shows(client, url, text):
    return text in client.get(url).content.decode()


def test_a_login_leaves_a_cached_experiment_page_cached(client, experiment, resident):
    url = experiment.get_absolute_url()
    _visit(client, url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")

    with committed():
        Client().force_login(resident)  # sets last_login, as every login does

    resident.refresh_from_db()
    assert resident.last_login is not None
    assert _shows(client, url, "Kirjastobussi")
    with committed():
        services.step_save(experiment=experiment, title="Reitti")
    assert _shows(client, url, "Kirjastovene")


@pytest.fixture
def application(experiment, member):
    call = CallFactory(reviewers_per_application=1)
    return funding.application_create(call=call, experiment=experiment, by=member)


def test_an_application_autosave_leaves_cached_pages_cached(
    client, experiment, application, member
):
    urls = [experiment.get_absolute_url(), "/fi/casebank/", f"/fi/funding/{application.call.slug}/"]
    for url in urls:
        _visit(client, url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")
    Call.objects.filter(pk=application.call.pk).update(title="Uusi nimi")

    with committed():
        funding.application_save(
            application=application, by=member, summary="Kirjastobussi kylille."
        )

    for url in urls:
        page = client.get(url).content.decode()
        assert "Kirjastovene" not in page and "Uusi nimi" not in page, url


def test_editing_experiment_a_stales_its_page_but_not_b(client, experiment, other, member):
    _visit(client, experiment.get_absolute_url(), other.get_absolute_url())
    Experiment.objects.filter(pk=other.pk).update(title="Etälukio tuntureille")

    with committed():
        services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")

    assert _shows(client, experiment.get_absolute_url(), "Kirjastovene")
    assert _shows(client, other.get_absolute_url(), "Etälukio saaristoon")


def test_editing_an_experiment_stales_the_case_bank_listing(client, experiment, member):
    _visit(client, "/fi/casebank/")
    assert _shows(client, "/fi/casebank/", "Kirjastobussi")

    with committed():
        services.experiment_update(experiment=experiment, by=member, title="Kirjastovene")

    assert _shows(client, "/fi/casebank/", "Kirjastovene")


def test_a_new_measurement_stales_its_experiment_page(client, experiment, other, member):
    indicator = IndicatorFactory(experiment=experiment)
    _visit(client, experiment.get_absolute_url(), other.get_absolute_url())
    _rename_behind_the_caches_back(experiment, "Kirjastovene")
    Experiment.objects.filter(pk=other.pk).update(title="Etälukio tuntureille")

    with committed():
        services.measurement_add(
            indicator=indicator, by=member, measured_on=date(2025, 3, 1), value=Decimal("12")
        )

    assert _shows(client, experiment.get_absolute_url(), "Kirjastovene")
    assert _shows(client, other.get_absolute_url(), "Etälukio saaristoon")


def test_a_review_or_token_stales_nothing(client, experiment, application, member):
    funding.application_save(
        application=application,
        by=member,
        summary="Kirjastobussi kylille.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Työpajat", Decimal("8000"))],
        answers={application.call.questions.first().pk: "Opimme."},
    )
    funding.application_submit(application=application, by=member)
    urls = [experiment.get_absolute_url(), f"/fi/funding/{application.call.slug}/"]
    for url in urls:
        _visit(client, url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")
    Call.objects.filter(pk=application.call.pk).update(title="Uusi nimi")

    with committed():
        reviewed(application)
        token_create(user=member, name="Raportointi")

    for url in urls:
        page = client.get(url).content.decode()
        assert "Kirjastovene" not in page and "Uusi nimi" not in page, url


def test_a_rolled_back_write_stales_nothing(client, experiment, member):
    url = experiment.get_absolute_url()
    _visit(client, url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")

    with committed(), contextlib.suppress(RuntimeError), transaction.atomic():
        services.experiment_update(experiment=experiment, by=member, title="Peruttu")
        raise RuntimeError("rolled back")

    assert _shows(client, url, "Kirjastobussi")


def test_a_funding_decision_stales_its_call_page_only(client, application, member, coordinator):
    funding.application_save(
        application=application,
        by=member,
        summary="Kirjastobussi kylille.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Työpajat", Decimal("8000"))],
        answers={application.call.questions.first().pk: "Opimme."},
    )
    funding.application_submit(application=application, by=member)
    reviewed(application)
    call, second = application.call, CallFactory()
    _visit(client, f"/fi/funding/{call.slug}/", f"/fi/funding/{second.slug}/")
    Call.objects.filter(pk__in=[call.pk, second.pk]).update(title="Uusi nimi")

    with committed():
        funding.decision_make(
            application=application, by=coordinator, outcome="rejected", reasoning="Ei nyt."
        )

    assert _shows(client, f"/fi/funding/{call.slug}/", "Uusi nimi")
    assert not _shows(client, f"/fi/funding/{second.slug}/", "Uusi nimi")


def test_a_new_name_for_a_person_stales_the_pages_that_name_them(client, organisation, member):
    experiment = services.experiment_create(
        by=member,
        owner=organisation,
        title="Kirjastobussi",
        summary="Kylille.",
        visibility=Visibility.PUBLIC,
    )  # its first stage names who started it
    url = experiment.get_absolute_url()
    _visit(client, url)
    assert _shows(client, url, member.name)  # the lead, in the team and the stages

    with committed():
        member.name = "Maija Uusinimi"
        member.save()

    assert _shows(client, url, "Maija Uusinimi")


def test_a_theme_added_to_an_experiment_stales_its_page(client, experiment):
    url = experiment.get_absolute_url()
    _visit(client, url)
    _rename_behind_the_caches_back(experiment, "Kirjastovene")

    with committed():
        experiment.themes.add(Theme.objects.first())

    assert _shows(client, url, "Kirjastovene")


def test_a_culled_version_never_serves_a_stale_page(client, experiment):
    url = experiment.get_absolute_url()
    _visit(client, url)
    with committed():
        services.step_save(experiment=experiment, title="Reitti")
    _visit(client, url)  # stored under the bumped version
    _rename_behind_the_caches_back(experiment, "Kirjastovene")

    cache.delete(f"pagecache:v:experiment:{experiment.slug}")  # culled by the cache
    pagecache._seen.clear()

    assert _shows(client, url, "Kirjastovene")
