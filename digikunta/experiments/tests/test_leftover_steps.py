"""Steps still planned in an evaluated experiment are flagged to those who can edit it."""

import pytest

from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

DONE = {"outcome": "partly", "results": "Jonot lyhenivät.", "lessons": "Aloita pienestä."}


@pytest.fixture
def evaluated(member, organisation):
    experiment = ExperimentFactory(owner=organisation, status="evaluated", **DONE)
    TeamMemberFactory(experiment=experiment, user=member)
    experiment.steps.create(title="Yksi tila", position=1, status="done")
    experiment.steps.create(title="Maksaminen mukaan", position=2, status="planned")
    experiment.steps.create(title="Kaikki tilat", position=3, status="dropped")
    return experiment


def flag(html):
    if 'id="leftover-steps"' not in html:
        return ""
    start = html.index('id="leftover-steps"')
    return html[start : html.index("</div>", start)]


def test_the_lead_sees_which_steps_are_still_planned(client, member, evaluated):
    client.force_login(member)
    html = client.get(f"/en/experiments/{evaluated.slug}/").content.decode()
    flagged = flag(html)
    assert "One step is still marked planned although the experiment has been evaluated" in flagged
    assert "Maksaminen mukaan" in flagged
    assert "Yksi tila" not in flagged and "Kaikki tilat" not in flagged
    step = evaluated.steps.get(status="planned")
    assert f"/en/experiments/{evaluated.slug}/steps/{step.pk}/edit/" in flagged


def test_the_flag_goes_once_the_step_is_settled(client, member, evaluated):
    client.force_login(member)
    step = evaluated.steps.get(status="planned")
    response = client.post(
        f"/fi/experiments/{evaluated.slug}/steps/{step.pk}/edit/",
        {"title": step.title, "status": "done"},
    )
    assert response.status_code == 302
    assert flag(client.get(evaluated.get_absolute_url()).content.decode()) == ""


def test_the_flag_is_in_finnish_and_counts_the_steps(client, member, evaluated):
    evaluated.steps.create(title="Neljäs", position=4)
    client.force_login(member)
    flagged = flag(client.get(f"/fi/experiments/{evaluated.slug}/").content.decode())
    assert "2 vaihetta on yhä merkitty suunnitelluiksi" in flagged


def test_readers_who_cannot_edit_see_no_flag(client, outsider, evaluated):
    assert flag(client.get(evaluated.get_absolute_url()).content.decode()) == ""
    client.force_login(outsider)
    assert flag(client.get(evaluated.get_absolute_url()).content.decode()) == ""


@pytest.mark.parametrize("status", ["running", "ended"])
def test_planned_steps_are_not_flagged_before_the_evaluation(client, member, organisation, status):
    experiment = ExperimentFactory(owner=organisation, status=status, **DONE)
    TeamMemberFactory(experiment=experiment, user=member)
    experiment.steps.create(title="Myöhemmin", position=1)
    client.force_login(member)
    assert flag(client.get(experiment.get_absolute_url()).content.decode()) == ""


def test_my_digikunta_tells_the_lead_too(client, member, evaluated):
    client.force_login(member)
    html = client.get("/en/mine/").content.decode()
    waiting = html[html.index('id="waiting-title"') : html.index('id="my-experiments-title"')]
    assert f"“{evaluated.title}” has been evaluated, but one step is still planned." in waiting
    assert f"{evaluated.get_absolute_url()}#steps" in waiting
