"""GET /api/v1/panels/{id}/draw: the published draw as open data, without names."""

import pytest

from digikunta.panels import draw, selectors, services
from digikunta.panels.models import VolunteerStatus
from digikunta.panels.tests.factories import PanelFactory, manager_of, volunteers

pytestmark = pytest.mark.django_db


def test_the_draw_is_open_data_that_draw_py_reproduces(client):
    panel = PanelFactory(closed=True, seats=3)
    volunteers(panel, {("25-44", "fi"): 4, ("65+", "sv"): 3})
    panel = services.panel_draw(panel=panel, by=manager_of(panel.process), seed="avoin")
    services.invitations_send(panel=panel)
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    services.invitation_answer(volunteer=member, user=member.user, accept=False)

    data = client.get(f"/api/v1/panels/{panel.pk}/draw", HTTP_ACCEPT_LANGUAGE="sv").json()
    assert data["seed"] == "avoin" and data["seats"] == 3
    assert data["stratified_by"] == ["age_band", "language"]
    assert [s["stratum"] for s in data["strata"]] == ["25-44|fi", "65+|sv"]
    assert data["strata"][1]["values"] == ["65 år eller äldre", "svenska"]
    assert sum(s["quota"] for s in data["strata"]) == 3
    people = [draw.Volunteer(v["code"], v["stratum"]) for v in data["volunteers"]]
    again = draw.replay(draw.draw(data["seed"], people, data["seats"]), [member.code])
    assert data["drawn"] == again.draw.members
    assert data["seated"] == again.seated
    assert data["replacements"][0]["left"] == member.code
    assert data["volunteers_csv"].endswith(f"/sv/panels/{panel.pk}/volunteers.csv")
    text = str(data)
    assert all(v.user.email not in text for v in panel.volunteers.select_related("user"))
    assert selectors.published_draw(panel).seating.seated == data["seated"]


def test_an_undrawn_or_draft_panel_has_no_draw(client):
    open_panel = PanelFactory()
    draft = PanelFactory(draft=True)
    assert client.get(f"/api/v1/panels/{open_panel.pk}/draw").status_code == 404
    assert client.get(f"/api/v1/panels/{draft.pk}/draw").status_code == 404
