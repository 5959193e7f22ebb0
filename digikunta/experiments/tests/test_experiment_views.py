"""An experiment lead's journey through the views, with refusals and bad input."""

import re
from datetime import date

import pytest

from digikunta.experiments.models import Experiment, Measurement, Step, TeamMember, Transition
from digikunta.experiments.tests.factories import (
    ExperimentFactory,
    IndicatorFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

NEW = {
    "owner": None,
    "title": "Kirjaston tilavaraus verkossa",
    "summary": "Kuntalaiset varaavat kirjaston tilat verkossa ja ovi aukeaa puhelimella.",
    "language": "fi",
    "needs": ["test_users"],
}


@pytest.fixture
def lead_experiment(member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


def test_a_member_of_an_organisation_starts_an_experiment_in_one_form(client, member, organisation):
    client.force_login(member)
    assert client.get("/fi/experiments/new/").status_code == 200
    response = client.post("/fi/experiments/new/", {**NEW, "owner": organisation.pk})
    assert response.status_code == 302
    experiment = Experiment.objects.get(title=NEW["title"])
    assert experiment.status == "idea" and experiment.owner == organisation
    assert TeamMember.objects.get(experiment=experiment).user == member
    assert list(experiment.needs.values_list("kind", flat=True)) == ["test_users"]
    assert Transition.objects.get(experiment=experiment).to_status == "idea"


def test_the_owner_municipality_takes_part_by_default(client, member):
    from digikunta.organisations.models import Membership, Organisation

    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=member)
    client.force_login(member)
    client.post("/fi/experiments/new/", {**NEW, "owner": kuopio.pk})
    assert list(Experiment.objects.get().municipalities.values_list("code", flat=True)) == ["297"]


def test_someone_without_an_organisation_is_told_to_join_one(client, resident):
    client.force_login(resident)
    response = client.get("/fi/experiments/new/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/organisations/"


def test_nobody_creates_an_experiment_for_an_organisation_they_do_not_belong_to(client, member):
    from digikunta.organisations.tests.factories import OrganisationFactory

    other = OrganisationFactory()
    client.force_login(member)
    response = client.post("/en/experiments/new/", {**NEW, "owner": other.pk})
    assert response.status_code == 422
    assert not Experiment.objects.exists()


def test_missing_title_keeps_what_was_typed(client, member, organisation):
    client.force_login(member)
    response = client.post("/en/experiments/new/", {**NEW, "owner": organisation.pk, "title": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert NEW["summary"] in html and 'href="#id_title"' in html
    assert not Experiment.objects.exists()


def test_end_before_start_is_refused(client, member, organisation):
    client.force_login(member)
    response = client.post(
        "/en/experiments/new/",
        {**NEW, "owner": organisation.pk, "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
    )
    assert response.status_code == 422
    assert "end date on or after the start date" in response.content.decode()


def test_the_lead_moves_it_through_the_lifecycle(client, member, lead_experiment):
    client.force_login(member)
    url = f"/fi/experiments/{lead_experiment.slug}/stage/"
    assert client.post(url, {"to": "planned"}).status_code == 302
    assert client.post(url, {"to": "running"}).status_code == 302
    response = client.post(url, {"to": "ended"})
    assert response.status_code == 422  # no results, no outcome
    assert "tulokset" in response.content.decode().lower()
    response = client.post(url, {"to": "ended", "results": "Varauksia 3x.", "outcome": "succeeded"})
    assert response.status_code == 302
    assert client.post(url, {"to": "evaluated", "lessons": "Aloita pienestä."}).status_code == 302
    lead_experiment.refresh_from_db()
    assert lead_experiment.status == "evaluated"
    assert lead_experiment.lessons == "Aloita pienestä."
    moves = list(
        Transition.objects.filter(experiment=lead_experiment).values_list("to_status", "by")
    )
    assert moves == [(s, member.pk) for s in ("planned", "running", "ended", "evaluated")]
    page = client.get(lead_experiment.get_absolute_url()).content.decode()
    assert "Aloita pienestä." in page


def test_an_invalid_move_is_refused_and_nothing_changes(client, member, lead_experiment):
    client.force_login(member)
    response = client.post(f"/en/experiments/{lead_experiment.slug}/stage/", {"to": "evaluated"})
    assert response.status_code == 422
    lead_experiment.refresh_from_db()
    assert lead_experiment.status == "idea"
    assert not Transition.objects.filter(experiment=lead_experiment).exists()


def test_steps_are_added_and_reordered(client, member, lead_experiment):
    client.force_login(member)
    base = f"/fi/experiments/{lead_experiment.slug}"
    for title in ("Kokeile yhdellä tilalla", "Lisää maksaminen"):
        assert (
            client.post(f"{base}/steps/", {"title": title, "status": "planned"}).status_code == 302
        )
    second = Step.objects.get(title="Lisää maksaminen")
    client.post(f"{base}/steps/{second.pk}/move/", {"direction": "up"})
    assert list(lead_experiment.steps.values_list("title", flat=True)) == [
        "Lisää maksaminen",
        "Kokeile yhdellä tilalla",
    ]


def test_a_step_without_a_title_is_refused(client, member, lead_experiment):
    client.force_login(member)
    response = client.post(
        f"/fi/experiments/{lead_experiment.slug}/steps/", {"title": "", "status": "planned"}
    )
    assert response.status_code == 422
    assert not Step.objects.exists()


def test_indicator_with_measurements_is_drawn_as_a_chart_and_a_table(
    client, member, lead_experiment
):
    client.force_login(member)
    base = f"/fi/experiments/{lead_experiment.slug}"
    client.post(
        f"{base}/indicators/",
        {"name": "Varaukset", "unit": "kpl", "baseline": "10", "target": "50"},
    )
    indicator = lead_experiment.indicators.get()
    for day, value in (("2026-02-01", "12"), ("2026-03-01", "31,5")):
        response = client.post(
            f"{base}/indicators/{indicator.pk}/measurements/", {"measured_on": day, "value": value}
        )
        assert response.status_code == 302, response.content
    assert Measurement.objects.filter(indicator=indicator).count() == 2
    html = client.get(lead_experiment.get_absolute_url()).content.decode()
    assert "<svg" in html and "<polyline" in html
    assert "31,50 kpl" in html  # Finnish decimal comma in the table


def test_a_measurement_that_is_not_a_number_is_refused(client, member, lead_experiment):
    indicator = IndicatorFactory(experiment=lead_experiment)
    client.force_login(member)
    response = client.post(
        f"/en/experiments/{lead_experiment.slug}/indicators/{indicator.pk}/measurements/",
        {"measured_on": "2026-02-01", "value": "many"},
    )
    assert response.status_code == 422
    assert not Measurement.objects.exists()


def test_members_only_experiments_are_hidden_from_outsiders(client, outsider, member, organisation):
    hidden = ExperimentFactory(owner=organisation, visibility="members")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_outsiders_cannot_change_or_move_an_experiment(client, outsider, lead_experiment):
    client.force_login(outsider)
    assert client.get(f"/fi/experiments/{lead_experiment.slug}/edit/").status_code == 403
    assert (
        client.post(f"/fi/experiments/{lead_experiment.slug}/stage/", {"to": "planned"}).status_code
        == 403
    )
    lead_experiment.refresh_from_db()
    assert lead_experiment.status == "idea"


def test_another_municipality_reuses_an_experiment(
    client, lead_experiment, resident, django_capture_on_commit_callbacks
):
    from digikunta.organisations.models import Membership, Organisation

    lead_experiment.steps.create(title="Vaihe 1", position=1)
    IndicatorFactory(experiment=lead_experiment)
    vaasa = Organisation.objects.get(municipality_id="905")
    Membership.objects.create(organisation=vaasa, user=resident)
    client.force_login(resident)
    assert client.get(f"/sv/experiments/{lead_experiment.slug}/reuse/").status_code == 200
    response = client.post(f"/sv/experiments/{lead_experiment.slug}/reuse/", {"owner": vaasa.pk})
    assert response.status_code == 302
    copy = Experiment.objects.get(reused_from=lead_experiment)
    assert copy.owner == vaasa and copy.status == "idea"
    assert list(copy.steps.values_list("title", flat=True)) == ["Vaihe 1"]
    assert copy.indicators.count() == 1 and not copy.indicators.get().measurements.exists()
    assert list(copy.municipalities.values_list("code", flat=True)) == ["905"]
    # A copy is a draft until its lead publishes it: the original does not list it yet.
    assert copy.visibility == "draft"
    assert copy.title not in client.get(lead_experiment.get_absolute_url()).content.decode()
    assert client.get(copy.get_absolute_url()).status_code == 200  # its lead sees it
    with django_capture_on_commit_callbacks(execute=True):  # the caches' versions move
        client.post(f"/sv/experiments/{copy.slug}/publish/", {"visibility": "public"})
    assert copy.title in client.get(lead_experiment.get_absolute_url()).content.decode()


def test_experiment_page_queries_do_not_grow_with_its_content(
    client, lead_experiment, django_assert_max_num_queries
):
    for i in range(5):
        indicator = IndicatorFactory(experiment=lead_experiment, name=f"Mittari {i}")
        for day in range(1, 4):
            indicator.measurements.create(measured_on=date(2026, 1, day), value=day)
        lead_experiment.steps.create(title=f"Vaihe {i}", position=i)
    with django_assert_max_num_queries(20):
        assert client.get(lead_experiment.get_absolute_url()).status_code == 200


def test_reusing_for_an_unknown_organisation_is_a_422_not_a_crash(client, lead_experiment, member):
    client.force_login(member)
    for owner in ("2\xa0928", "abc", "999999"):
        response = client.post(f"/fi/experiments/{lead_experiment.slug}/reuse/", {"owner": owner})
        assert response.status_code == 422
    assert not Experiment.objects.filter(reused_from=lead_experiment).exists()


def test_large_ids_are_not_formatted_as_numbers_in_pages(client, member, organisation):
    """Finnish formatting writes 2928 as '2 928': ids and form values must never get it."""
    from digikunta.organisations.models import Membership
    from digikunta.organisations.models import Organisation as Org

    big = Org.objects.create(kind="association", name="Iso ry", slug="iso-ry", pk=2928)
    Membership.objects.create(organisation=big, user=member, role="admin")
    experiment = ExperimentFactory(owner=big, pk=4321)
    TeamMemberFactory(experiment=experiment, user=member)
    IndicatorFactory(experiment=experiment, pk=1234).measurements.create(
        measured_on=date(2026, 1, 1), value=12
    )
    client.force_login(member)
    pages = [
        experiment.get_absolute_url(),
        f"/fi/experiments/{experiment.slug}/reuse/",
        f"/fi/organisations/{big.slug}/members/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        attributes = "".join(re.findall(r'(?:id|value|for|href)="[^"]*"', html))
        assert "\xa0" not in attributes, url


def test_the_timeline_never_shows_an_email_address(client, lead_experiment, member):
    member.name = ""
    member.save(update_fields=["name"])
    client.force_login(member)
    client.post(f"/fi/experiments/{lead_experiment.slug}/stage/", {"to": "planned"})
    client.logout()
    html = client.get(lead_experiment.get_absolute_url()).content.decode()
    assert member.email not in html


def test_a_step_is_marked_done(client, member, lead_experiment):
    step = lead_experiment.steps.create(title="Vaihe", position=1)
    client.force_login(member)
    url = f"/fi/experiments/{lead_experiment.slug}/steps/{step.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Vaihe", "status": "done"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == "done"


def test_the_lead_manages_the_team_but_cannot_leave_it_without_a_lead(
    client, member, lead_experiment, outsider
):
    client.force_login(member)
    url = f"/fi/experiments/{lead_experiment.slug}/team/"
    response = client.post(url, {"email": outsider.email, "role": "member"})
    assert response.status_code == 302
    assert TeamMember.objects.filter(experiment=lead_experiment, user=outsider).exists()
    lead = TeamMember.objects.get(experiment=lead_experiment, user=member)
    client.post(url, {"remove": lead.pk})
    assert TeamMember.objects.filter(pk=lead.pk).exists()  # the only lead stays
    added = TeamMember.objects.get(user=outsider)
    client.post(url, {"remove": added.pk})
    assert not TeamMember.objects.filter(pk=added.pk).exists()


def test_a_plain_team_member_cannot_manage_the_team(client, lead_experiment, outsider):
    TeamMemberFactory(experiment=lead_experiment, user=outsider, role="member")
    client.force_login(outsider)
    assert client.get(f"/fi/experiments/{lead_experiment.slug}/team/").status_code == 403
