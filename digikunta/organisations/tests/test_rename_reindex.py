"""Renaming an organisation: its experiments are found by the new name, through a task (issue 9)."""

import pytest
from django_tasks_db.models import DBTaskResult

from digikunta.core.tests.worker import run_worker
from digikunta.experiments.models import Experiment
from digikunta.experiments.search_text import experiment_index
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.organisations import services
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import OrganisationFactory
from digikunta.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0


def _found(client, words: str) -> bool:
    response = client.get("/fi/casebank/", {"q": words})
    assert response.status_code == 200
    return "Tilavarauskokeilu" in response.content.decode()


def test_renaming_an_organisation_makes_its_experiments_found_by_the_new_name(
    client, organisation, org_admin, django_capture_on_commit_callbacks
):
    organisation.name = "Vanhakylän kirjastoseura ry"
    organisation.save()
    experiment_index(ExperimentFactory(owner=organisation))
    assert _found(client, "Vanhakylän")
    client.force_login(org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fi/organisations/{organisation.slug}/edit/",
            {
                "kind": "association",
                "name": "Uusikylän lukijat ry",
                "name_sv": "",
                "home_municipality": "",
                "business_id": "",
                "website": "",
                "description": "",
                "description_language": "fi",
            },
        )

    assert response.status_code == 302
    assert _found(client, "Uusikylän")
    assert not _found(client, "Vanhakylän")


def test_a_rename_reindexes_every_experiment_of_the_owner_and_no_other(
    django_capture_on_commit_callbacks, resident
):
    owner, other = OrganisationFactory(name="Vanha nimi ry"), OrganisationFactory()
    own = ExperimentFactory.create_batch(3, owner=owner)
    for experiment in [*own, ExperimentFactory(owner=other, title="Hakulan oma kokeilu")]:
        experiment_index(experiment)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=owner, by=resident, name="Hakulan seura ry")

    found = search(Experiment.objects.all(), "Hakulan seura")
    assert sorted(e.pk for e in found) == sorted(e.pk for e in own)


def test_a_new_swedish_name_finds_the_experiments_too(django_capture_on_commit_callbacks, resident):
    owner = OrganisationFactory()
    experiment_index(ExperimentFactory(owner=owner))

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=owner, by=resident, name_sv="Läsarna rf")

    assert search(Experiment.objects.all(), "Läsarna").exists()


def _reindexing_queued() -> int:
    return DBTaskResult.objects.filter(task_path__endswith=".reindex_owned_by").count()


def test_the_request_only_queues_the_reindexing(queued_tasks, reference_data, resident):
    owner = OrganisationFactory(name="Vanha nimi ry")
    experiment_index(ExperimentFactory(owner=owner))

    services.organisation_update(organisation=owner, by=resident, name="Hakulan seura ry")

    assert not search(Experiment.objects.all(), "Hakulan").exists()
    assert _reindexing_queued() == 1
    row = DBTaskResult.objects.get(task_path__endswith=".reindex_owned_by")
    assert row.args_kwargs["kwargs"] == {"organisation_id": owner.pk}
    run_worker()
    assert search(Experiment.objects.all(), "Hakulan").exists()


def test_other_changes_queue_no_reindexing(queued_tasks, resident):
    owner = OrganisationFactory()

    services.organisation_update(organisation=owner, by=resident, website="https://a.example.fi")

    assert _reindexing_queued() == 0


def test_a_rename_in_the_admin_site_reindexes_too(
    client, organisation, django_capture_on_commit_callbacks, rf
):
    from django.contrib import admin
    from django.forms.models import model_to_dict

    from digikunta.accounts.tests.factories import UserFactory
    from digikunta.organisations.admin import OrganisationAdmin

    experiment_index(ExperimentFactory(owner=organisation))
    model_admin = OrganisationAdmin(Organisation, admin.site)
    request = rf.post("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True, totp=True)
    data = {k: v for k, v in model_to_dict(organisation).items() if v is not None}
    data["created_at_0"], data["created_at_1"] = "2026-01-01", "12:00:00"  # a split widget
    form = model_admin.get_form(request, organisation)(
        data={**data, "name": "Uusikylän kirjastoseura ry"}, instance=organisation
    )
    assert form.is_valid(), form.errors

    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, form.save(commit=False), form, change=True)

    assert _found(client, "Uusikylän")
