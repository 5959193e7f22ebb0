"""The coordinators' theme page: list, add, rename, retire and merge without losing tags."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from digikunta.accounts.services import token_create
from digikunta.core.permissions import can
from digikunta.experiments import services
from digikunta.experiments.forms import ExperimentForm
from digikunta.experiments.models import Experiment, Theme
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory
from digikunta.organisations.models import Organisation
from digikunta.search.selectors import search

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "org_admin", "reviewer", "coordinator"]


@pytest.fixture
def person(request, db):
    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


@pytest.fixture
def wellbeing():
    return Theme.objects.get(slug="wellbeing")


@pytest.fixture
def e_services():
    return Theme.objects.get(slug="e-services")


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_only_coordinators_may_manage_the_themes(person, request):
    role = request.node.callspec.params["person"]
    assert can(person, "change", Theme) is (role == "coordinator")


@pytest.mark.parametrize("role", ["outsider", "member", "org_admin", "reviewer"])
def test_others_are_refused_every_page_and_nothing_changes(client, request, role, wellbeing):
    client.force_login(request.getfixturevalue(role))
    base = f"/fi/experiments/themes/{wellbeing.pk}"
    assert client.get("/fi/experiments/themes/").status_code == 403
    assert client.get(f"{base}/").status_code == 403
    assert (
        client.post("/fi/experiments/themes/", {"name_fi": "Uusi", "name_sv": "Ny"}).status_code
        == 403
    )
    assert client.post(f"{base}/retire/", {"retire": "1"}).status_code == 403
    assert client.post(f"{base}/merge/", {"into": Theme.objects.last().pk}).status_code == 403
    wellbeing.refresh_from_db()
    assert not wellbeing.is_retired and not Theme.objects.filter(name_fi="Uusi").exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/fi/experiments/themes/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_list_shows_every_theme_with_its_experiments(client, coordinator, wellbeing):
    ExperimentFactory().themes.add(wellbeing)
    client.force_login(coordinator)
    response = client.get("/en/experiments/themes/")
    assert response.status_code == 200
    themes = {t.slug: t for t in response.context["themes"]}
    assert len(themes) == 12 and themes["wellbeing"].experiment_count == 1
    html = response.content.decode()
    assert "Hyvinvointi ja terveys" in html and "Välfärd och hälsa" in html


def test_the_experiment_list_links_coordinators_to_the_themes(client, coordinator, member):
    client.force_login(coordinator)
    assert "/fi/experiments/themes/" in client.get("/fi/experiments/").content.decode()
    client.force_login(member)
    assert "/fi/experiments/themes/" not in client.get("/fi/experiments/").content.decode()


def test_a_coordinator_adds_a_theme_in_both_languages(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/fi/experiments/themes/",
        {"name_fi": "Kestävä matkailu", "name_sv": "Hållbar turism", "name_en": ""},
    )
    assert response.status_code == 302
    theme = Theme.objects.get(name_fi="Kestävä matkailu")
    assert theme.slug == "kestava-matkailu" and not theme.is_retired
    assert theme.position > Theme.objects.exclude(pk=theme.pk).order_by("-position")[0].position
    # It is offered to experiments at once.
    assert theme in ExperimentForm(owners=None).fields["themes"].queryset


def test_a_theme_without_a_swedish_name_is_refused_keeping_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/en/experiments/themes/", {"name_fi": "Kestävä matkailu"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Write the name in Swedish too" in html and "Kestävä matkailu" in html
    assert not Theme.objects.filter(name_fi="Kestävä matkailu").exists()


def test_a_second_theme_with_the_same_name_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/fi/experiments/themes/", {"name_fi": "sähköinen asiointi", "name_sv": "Något annat"}
    )
    assert response.status_code == 422
    assert "Toisella teemalla on jo tämä nimi" in response.content.decode()
    assert Theme.objects.count() == 12


def test_renaming_keeps_the_identifier_and_the_search_finds_the_new_name(
    client, coordinator, e_services, organisation
):
    experiment = ExperimentFactory(owner=organisation)
    services.experiment_update(experiment=experiment, by=coordinator, themes=[e_services])
    client.force_login(coordinator)
    response = client.post(
        f"/fi/experiments/themes/{e_services.pk}/",
        {
            "name_fi": "Verkkoasiointi",
            "name_sv": "Nättjänster",
            "name_en": "Online services",
            "position": 3,
        },
    )
    assert response.status_code == 302
    e_services.refresh_from_db()
    assert (e_services.slug, e_services.name_fi, e_services.position) == (
        "e-services",
        "Verkkoasiointi",
        3,
    )
    assert list(search(Experiment.objects.all(), "verkkoasiointi")) == [experiment]
    assert list(search(Experiment.objects.all(), "nättjänster")) == [experiment]


def test_a_bad_rename_shows_the_stored_name_and_keeps_what_was_typed(
    client, coordinator, e_services
):
    client.force_login(coordinator)
    response = client.post(
        f"/en/experiments/themes/{e_services.pk}/",
        {"name_fi": "Uusi nimi", "name_sv": "", "position": 1},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<h1>Theme “Digital services”</h1>" in html and 'value="Uusi nimi"' in html
    e_services.refresh_from_db()
    assert e_services.name_fi == "Sähköinen asiointi"


def test_a_retired_theme_stays_on_its_experiments_but_is_not_offered(
    client, coordinator, member, organisation, wellbeing
):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    experiment.themes.add(wellbeing)
    client.force_login(coordinator)
    response = client.post(f"/fi/experiments/themes/{wellbeing.pk}/retire/", {"retire": "1"})
    assert response.status_code == 302
    wellbeing.refresh_from_db()
    assert wellbeing.is_retired and list(experiment.themes.all()) == [wellbeing]
    client.force_login(member)
    offered = client.get("/fi/experiments/new/").context["form"].fields["themes"].queryset
    assert wellbeing not in offered
    # The experiment that has it keeps it when edited.
    kept = client.get(f"/fi/experiments/{experiment.slug}/edit/").context["form"]
    assert wellbeing in kept.fields["themes"].queryset
    # The case bank still finds it by the theme.
    assert client.get("/fi/casebank/", {"theme": "wellbeing"}).status_code == 200


def test_the_api_refuses_a_retired_theme_unless_the_experiment_has_it(
    client, member, organisation, wellbeing, e_services
):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    experiment.themes.add(wellbeing)
    services.theme_retire(theme=wellbeing, by=member)
    headers = {
        "HTTP_AUTHORIZATION": f"Bearer {token_create(user=member, name='t')[1]}",
        "HTTP_ACCEPT_LANGUAGE": "en",
    }
    response = client.post(
        "/api/v1/experiments",
        {"owner": organisation.slug, "title": "Uusi", "summary": "x", "themes": ["wellbeing"]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "themes",
        "location": "body",
        "code": "invalid",
        "message": "The theme “Wellbeing and health” is no longer in use: choose another.",
    }
    response = client.patch(
        f"/api/v1/experiments/{experiment.pk}",
        {"themes": ["wellbeing", "e-services"]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert sorted(response.json()["themes"]) == ["e-services", "wellbeing"]


def test_a_retired_theme_is_taken_back_into_use(client, coordinator, wellbeing):
    services.theme_retire(theme=wellbeing, by=coordinator)
    client.force_login(coordinator)
    client.post(f"/fi/experiments/themes/{wellbeing.pk}/retire/", {"retire": "0"})
    wellbeing.refresh_from_db()
    assert not wellbeing.is_retired


def test_merging_moves_every_tag_and_retires_the_theme(
    client, coordinator, organisation, wellbeing, e_services
):
    from digikunta.funding.tests.factories import CallFactory

    only_old = ExperimentFactory(owner=organisation)
    only_old.themes.add(wellbeing)
    both = ExperimentFactory(owner=organisation)
    both.themes.add(wellbeing, e_services)
    untouched = ExperimentFactory(owner=organisation)
    call = CallFactory()
    call.themes.add(wellbeing)
    client.force_login(coordinator)
    response = client.post(
        f"/en/experiments/themes/{wellbeing.pk}/merge/", {"into": e_services.pk}, follow=True
    )
    assert response.status_code == 200
    assert "merged into “Digital services”: 2 experiments moved." in response.content.decode()
    wellbeing.refresh_from_db()
    assert wellbeing.is_retired and not wellbeing.experiments.exists()
    assert list(only_old.themes.all()) == [e_services]
    assert list(both.themes.all()) == [e_services]
    assert not untouched.themes.exists()
    assert list(call.themes.all()) == [e_services]
    # The search text follows: the experiments are found by the theme they have now.
    assert only_old in search(Experiment.objects.all(), "e-tjänster")


@pytest.mark.parametrize("target", ["itself", "retired", "missing"])
def test_merging_into_itself_or_a_retired_theme_is_refused(
    client, coordinator, organisation, wellbeing, e_services, target
):
    experiment = ExperimentFactory(owner=organisation)
    experiment.themes.add(wellbeing)
    services.theme_retire(theme=e_services, by=coordinator)
    into = {"itself": wellbeing.pk, "retired": e_services.pk, "missing": ""}[target]
    client.force_login(coordinator)
    response = client.post(f"/en/experiments/themes/{wellbeing.pk}/merge/", {"into": into})
    assert response.status_code == 422
    assert 'id="merge"' in response.content.decode()
    wellbeing.refresh_from_db()
    assert not wellbeing.is_retired and list(experiment.themes.all()) == [wellbeing]


def test_the_merge_service_refuses_a_theme_into_itself(coordinator, wellbeing):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.theme_merge(theme=wellbeing, into=wellbeing, by=coordinator)


def test_reloading_reference_data_keeps_the_coordinators_changes(coordinator, wellbeing):
    services.theme_update(
        theme=wellbeing, by=coordinator, name_fi="Hyvinvointi", name_sv="Välfärd", position=9
    )
    services.theme_retire(theme=wellbeing, by=coordinator)
    call_command("load_reference_data", stdout=io.StringIO())
    wellbeing.refresh_from_db()
    assert (wellbeing.name_fi, wellbeing.position, wellbeing.is_retired) == ("Hyvinvointi", 9, True)


def test_the_import_refuses_a_retired_theme_for_that_row(tmp_path, coordinator, wellbeing):
    from django.core.management.base import CommandError

    services.theme_retire(theme=wellbeing, by=coordinator)
    path = tmp_path / "themes.csv"
    path.write_text(
        "title,summary,municipality,themes\n"
        "Kirjaston chat,Chat kirjastossa.,837,e-services\n"
        "Liikuntaa,Liikuntaa kaikille.,837,wellbeing\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "experiments", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == (
        "themes.csv:3: themes: the theme wellbeing is no longer in use; give a theme in use "
        "instead.\n"
    )


def test_the_theme_list_costs_the_same_queries_with_2_or_20_experiments(
    client, coordinator, wellbeing
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    counts = []
    for n in (2, 20):
        for _ in range(n - len(wellbeing.experiments.all())):
            ExperimentFactory().themes.add(wellbeing)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/fi/experiments/themes/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_reuse_leaves_out_the_retired_themes_of_its_original(
    client, resident, organisation, wellbeing, e_services
):
    from digikunta.organisations.models import Membership

    original = ExperimentFactory(owner=organisation)
    original.themes.add(wellbeing, e_services)
    services.theme_retire(theme=wellbeing, by=resident)
    vaasa = Organisation.objects.get(municipality_id="905")
    Membership.objects.create(organisation=vaasa, user=resident)
    client.force_login(resident)
    response = client.post(f"/sv/experiments/{original.slug}/reuse/", {"owner": vaasa.pk})
    assert response.status_code == 302
    copy = Experiment.objects.get(reused_from=original)
    assert list(copy.themes.all()) == [e_services]
    assert set(original.themes.all()) == {wellbeing, e_services}
