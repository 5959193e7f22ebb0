"""Personas and shared fixtures for the whole suite."""

import os

import pytest

from digikunta.accounts.models import PlatformRole

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def reference_data(transactional_db):
    """Transactional and live-server tests flush the database after each test (the data
    migration's rows go too): reload the reference data."""
    from django.core.management import call_command

    from digikunta.municipalities.models import Municipality

    if not Municipality.objects.exists():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def queued_tasks(settings):
    """The production task backend (settings/base.py): tasks wait as rows for the worker,
    instead of the test settings' immediate run."""
    from digikunta.settings import base

    settings.TASKS = base.TASKS


@pytest.fixture
def organisation(db):
    from digikunta.organisations.tests.factories import OrganisationFactory

    return OrganisationFactory()


@pytest.fixture
def resident(db):
    from digikunta.accounts.tests.factories import UserFactory

    return UserFactory(name="Aino Asukas")


@pytest.fixture
def outsider(db):
    from digikunta.accounts.tests.factories import UserFactory

    return UserFactory(name="Olli Ulkopuolinen")


@pytest.fixture
def member(db, organisation):
    from digikunta.accounts.tests.factories import UserFactory
    from digikunta.organisations.tests.factories import MembershipFactory

    user = UserFactory(name="Maija Jäsen")
    MembershipFactory(organisation=organisation, user=user)
    return user


@pytest.fixture
def org_admin(db, organisation):
    from digikunta.accounts.tests.factories import UserFactory
    from digikunta.organisations.models import MembershipRole
    from digikunta.organisations.tests.factories import MembershipFactory

    user = UserFactory(name="Antti Admin", totp=True)
    MembershipFactory(organisation=organisation, user=user, role=MembershipRole.ADMIN)
    return user


def _role_user(role: str, name: str, **fields):
    from digikunta.accounts.tests.factories import UserFactory

    return UserFactory(name=name, roles=[role], totp=role != PlatformRole.EXPERT, **fields)


@pytest.fixture
def coordinator(db):
    # A coordinator decides as an official: the title is printed on the decision.
    return _role_user(
        PlatformRole.COORDINATOR, "Kirsi Koordinaattori", contact_title="kehittämispäällikkö"
    )


@pytest.fixture
def reviewer(db):
    return _role_user(PlatformRole.REVIEWER, "Arto Arvioija")


@pytest.fixture
def expert(db):
    return _role_user(PlatformRole.EXPERT, "Eeva Asiantuntija")


@pytest.fixture
def moderator(db):
    return _role_user(PlatformRole.MODERATOR, "Mikko Moderaattori")


@pytest.fixture
def experiment_lead(member):
    """Until experiments exist (issue 3), a lead is a member of an organisation."""
    return member


@pytest.fixture
def client_for(client):
    def _client_for(user):
        if user is not None:
            client.force_login(user)
        return client

    return _client_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, TOTP replay guards and pages live in caches: start every test clean."""
    from django.core.cache import caches

    from digikunta.core import pagecache

    for alias in caches:
        caches[alias].clear()
    pagecache._seen.clear()
    yield
    for alias in caches:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_search_engine():
    """Every test's search-engine index is built from its own database when first read: the
    last test's rows were rolled back."""
    from digikunta.search import engine

    engine.reset()
    yield
    engine.reset()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language: a request in another one activates
    it for the thread, which would leak into the next test's get_absolute_url()."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
