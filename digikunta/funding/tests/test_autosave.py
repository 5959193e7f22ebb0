"""The application form's autosave part (issue 10, item 9): it says what happened, in the
person's language, and a refused save never claims to be saved."""

import pytest

from digikunta.experiments.models import Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(resident):
    vaasa = Organisation.objects.get(slug="vaasa")
    MembershipFactory(organisation=vaasa, user=resident)
    experiment = ExperimentFactory(owner=vaasa, status=Status.RUNNING)
    experiment.team.create(user=resident, role="lead")
    return services.application_create(call=CallFactory(), experiment=experiment, by=resident)


def autosave(client, application, **fields):
    data = {
        "summary": "Luonnos",
        "own_contribution": "0",
        "language": "fi",
        "version": application.version,
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
        **fields,
    }
    url = f"/fi/funding/applications/{application.pk}/edit/"
    return client.post(url, data, headers={"HX-Request": "true"})


def test_the_form_names_its_save_address_texts_and_script(client, resident, application):
    client.force_login(resident)
    html = client.get(f"/sv/funding/applications/{application.pk}/edit/").content.decode()
    assert f'data-autosave="/sv/funding/applications/{application.pk}/edit/"' in html
    assert f'data-autosave-key="{application.pk}:{resident.pk}"' in html
    assert 'data-text-saving="Sparar…"' in html
    assert "Det du skrev kl. %(time)s hade inte sparats." in html
    assert "digikunta/autosave.js" in html
    assert "hx-post" not in html  # one saver: the script, not htmx as well


def test_a_save_says_it_saved_and_returns_the_next_version(client, resident, application):
    client.force_login(resident)
    response = autosave(client, application, summary="Ovet aukeavat puhelimella.")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Luonnos tallennettu klo" in html
    assert f'value="{application.version + 1}"' in html
    application.refresh_from_db()
    assert application.summary == "Ovet aukeavat puhelimella."


def test_a_refused_save_says_not_saved_and_lists_the_field(client, resident, application):
    client.force_login(resident)
    response = autosave(client, application, summary="Uusi teksti", own_contribution="paljon")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ei tallennettu: korjaa alla luetellut kohdat." in html
    assert "tallennettu klo" not in html
    assert '<a href="#id_own_contribution">Omarahoitus (€): Syötä luku.' in html
    before = application.summary
    application.refresh_from_db()
    assert application.summary == before != "Uusi teksti"


def test_a_save_over_a_newer_version_is_refused_with_the_conflict_named(
    client, resident, application
):
    client.force_login(resident)
    assert autosave(client, application).status_code == 200
    response = autosave(client, application)  # the version it was loaded with, now stale
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ei tallennettu" in html and "error-summary" in html
