"""Kuukauden kokeilu (issue 10, item 12): coordinators choose the month's experiment with a
citation; it shows on the front page, as a badge on the experiment's page and in an archive."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.privacy import collect
from digikunta.experiments import services as experiment_services
from digikunta.experiments.models import Visibility
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.home.models import ExperimentOfTheMonth

pytestmark = pytest.mark.django_db

CHOOSE = "/fi/experiment-of-the-month/choose/"
ARCHIVE = "/fi/experiment-of-the-month/"


@pytest.fixture
def experiment():
    return ExperimentFactory(
        title="Kirjaston tilavaraus", slug="kirjaston-tilavaraus", published_at=timezone.now()
    )


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def form(chosen, **changes):
    data = {
        "month": f"{this_month():%Y-%m}",
        "experiment": f"https://digikunta.fi/fi/experiments/{chosen.slug}/",
        "citation_fi": "Rohkea kokeilu, jonka opit kelpaavat jokaiselle kunnalle.",
        "citation_sv": "Ett modigt försök vars lärdomar passar varje kommun.",
        "citation_en": "",
    }
    return {**data, **changes}


def honour(experiment, month=None, **fields):
    return ExperimentOfTheMonth.objects.create(
        month=month or this_month(),
        experiment=experiment,
        citation_fi=fields.get("citation_fi", "Hyvä kokeilu."),
        citation_sv=fields.get("citation_sv", "Ett bra försök."),
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),  # to the login
        ("resident", 403),
        ("member", 403),
        ("org_admin", 403),
        ("reviewer", 403),
        ("moderator", 403),
        ("coordinator", 200),
        ("superuser", 200),
    ],
)
def test_only_coordinators_may_choose(client, request, experiment, persona, status):
    if persona == "superuser":
        client.force_login(UserFactory(is_superuser=True, is_staff=True, totp=True))
    elif persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(CHOOSE).status_code == status
    response = client.post(CHOOSE, form(experiment))
    assert response.status_code == (302 if status == 200 else status)
    assert ExperimentOfTheMonth.objects.exists() == (status == 200)


def test_a_coordinator_chooses_and_it_shows_everywhere(client, coordinator, experiment):
    client.force_login(coordinator)
    response = client.post(CHOOSE, form(experiment))
    assert response.status_code == 302 and response["Location"] == CHOOSE

    chosen = ExperimentOfTheMonth.objects.get()
    assert (chosen.experiment, chosen.month, chosen.chosen_by) == (
        experiment,
        this_month(),
        coordinator,
    )
    assert "Kirjaston tilavaraus" in client.get(CHOOSE).content.decode()  # "chosen so far"

    client.logout()
    swedish = client.get("/sv/").content.decode()
    assert "Ett modigt försök vars lärdomar passar varje kommun." in swedish
    page = client.get("/fi/experiments/kirjaston-tilavaraus/").content.decode()
    assert 'class="badge badge--honour"' in page
    assert "Rohkea kokeilu, jonka opit kelpaavat jokaiselle kunnalle." in page
    assert "Rohkea kokeilu" in client.get(ARCHIVE).content.decode()


def test_the_badge_reaches_the_cached_experiment_page(
    client, coordinator, experiment, django_capture_on_commit_callbacks
):
    url = "/fi/experiments/kirjaston-tilavaraus/"
    assert "badge--honour" not in client.get(url).content.decode()  # now cached
    coordinator_client = client.__class__()
    coordinator_client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(CHOOSE, form(experiment))
    assert "badge--honour" in client.get(url).content.decode()
    assert "Rohkea kokeilu" in client.get("/fi/").content.decode()


def test_the_slug_alone_is_enough(client, coordinator, experiment):
    client.force_login(coordinator)
    client.post(CHOOSE, form(experiment, experiment="kirjaston-tilavaraus"))
    assert ExperimentOfTheMonth.objects.get().experiment == experiment


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"citation_sv": ""}, "citation_sv", "This field is required."),
        ({"month": "maaliskuu"}, "month", "Give the month as year and month, for example 2026-03."),
        (
            {"experiment": "no-such-experiment"},
            "experiment",
            "No public experiment has that address: copy it from the experiment's page.",
        ),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    client, coordinator, experiment, changes, field, message
):
    client.force_login(coordinator)
    response = client.post(CHOOSE.replace("/fi/", "/en/"), form(experiment, **changes))
    assert response.status_code == 422
    assert message in response.context["form"].errors[field]
    assert "Rohkea kokeilu, jonka opit kelpaavat jokaiselle kunnalle." in response.content.decode()
    assert not ExperimentOfTheMonth.objects.exists()


@pytest.mark.parametrize("visibility", [Visibility.DRAFT, Visibility.MEMBERS])
def test_only_a_public_experiment_can_be_chosen(client, coordinator, visibility):
    hidden = ExperimentFactory(visibility=visibility)
    client.force_login(coordinator)
    response = client.post(CHOOSE, form(hidden))
    assert response.status_code == 422 and "experiment" in response.context["form"].errors
    assert not ExperimentOfTheMonth.objects.exists()


def test_choosing_again_for_a_month_replaces_its_choice(client, coordinator, experiment):
    other = ExperimentFactory(title="Etäkokoukset", published_at=timezone.now())
    honour(experiment)
    client.force_login(coordinator)
    client.post(CHOOSE, form(other, citation_fi="Parempi perustelu."))
    chosen = ExperimentOfTheMonth.objects.get()
    assert chosen.experiment == other and chosen.citation_fi == "Parempi perustelu."


def test_the_archive_lists_every_past_month_newest_first(client, experiment):
    older = ExperimentFactory(title="Viime vuoden kokeilu", published_at=timezone.now())
    honour(older, month=date(2025, 3, 1), citation_fi="Vanha perustelu.")
    honour(experiment, month=this_month(), citation_fi="Uusi perustelu.")
    future = ExperimentFactory(title="Tulevan kuun kokeilu", published_at=timezone.now())
    next_month = (this_month().replace(day=28) + timedelta(days=4)).replace(day=1)
    honour(future, month=next_month)

    html = client.get(ARCHIVE).content.decode()
    assert html.index("Uusi perustelu.") < html.index("Vanha perustelu.")
    assert 'id="month-2025-03"' in html
    assert "Tulevan kuun kokeilu" not in html  # shown once its month begins
    front = client.get("/fi/").content.decode()
    assert (
        "Uusi perustelu." in front
        and "Tulevan kuun kokeilu" not in front[: front.index("Uusi perustelu.")]
    )


def test_an_unpublished_experiment_leaves_the_archive_and_the_front_page(
    client, experiment, member, django_capture_on_commit_callbacks
):
    honour(experiment, citation_fi="Perustelu.")
    assert "Perustelu." in client.get(ARCHIVE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        experiment_services.experiment_unpublish(experiment=experiment, by=member)
    assert "Perustelu." not in client.get(ARCHIVE).content.decode()
    assert "Perustelu." not in client.get("/fi/").content.decode()


def test_a_coordinator_sees_the_way_to_choose_from_the_archive(client, coordinator):
    assert CHOOSE not in client.get(ARCHIVE).content.decode()
    client.force_login(coordinator)
    assert CHOOSE in client.get(ARCHIVE).content.decode()


def test_the_admin_lists_the_choices(client, experiment):
    honour(experiment)
    client.force_login(UserFactory(is_superuser=True, is_staff=True, totp=True))
    response = client.get("/fi/admin/home/experimentofthemonth/")
    assert response.status_code == 200 and "Kirjaston tilavaraus" in response.content.decode()


def test_the_choice_is_in_the_coordinators_data_export(coordinator, experiment):
    chosen = honour(experiment)
    chosen.chosen_by = coordinator
    chosen.save()
    assert collect(coordinator)["home.experimentofthemonth"][0]["month"] == this_month()


def test_the_form_speaks_the_reader_s_language(client, coordinator):
    client.force_login(coordinator)
    html = client.get(CHOOSE.replace("/fi/", "/sv/")).content.decode()
    assert "Motivering på svenska" in html and "Perustelu" not in html
