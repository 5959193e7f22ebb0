"""The budgeting API: the budget for everyone, one's own ballot with a token, the receipt check
and the results as open data after voting closes."""

import pytest

from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.budgeting.models import Ballot
from digikunta.budgeting.tests.factories import (
    BallotFactory,
    BudgetAreaFactory,
    ProjectFactory,
    declare_resident,
)
from digikunta.participation.models import PhaseKind
from digikunta.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


@pytest.fixture
def area():
    return BudgetAreaFactory()


@pytest.fixture
def projects(area):
    return [ProjectFactory(area=area, estimated_cost=cost) for cost in (12000, 6500, 9000)]


@pytest.fixture
def voter(resident, area):
    declare_resident(resident, area.process)
    return resident


def put(client, area, user, body, **headers):
    return client.put(
        f"/api/v1/processes/{area.process.slug}/ballot",
        body,
        content_type="application/json",
        **auth(user),
        **headers,
    )


def test_the_budget_lists_the_areas_and_only_projects_with_checked_costs(client, area, projects):
    ProjectFactory(area=area, unchecked=True)
    body = client.get(f"/api/v1/processes/{area.process.slug}/budget").json()
    assert body["voting_open"] is True and body["results_published"] is False
    [listed] = body["areas"]
    assert listed["budget"] == "20000.00"
    assert [p["id"] for p in listed["projects"]] == [p.pk for p in projects]


def test_a_ballot_is_cast_with_a_receipt_then_changed_without_one(client, voter, area, projects):
    first = put(client, area, voter, {"projects": [projects[0].pk, projects[1].pk]})
    assert first.status_code == 201, first.content
    body = first.json()
    assert len(body["receipt_code"]) == 14 and body["remaining"] == "1500.00"
    changed = put(client, area, voter, {"projects": [projects[2].pk]})
    assert changed.status_code == 200 and changed.json()["receipt_code"] is None
    own = client.get(f"/api/v1/processes/{area.process.slug}/ballot", **auth(voter)).json()
    assert own["projects"] == [projects[2].pk] and own["changed_at"]
    check = client.get(f"/api/v1/ballots/{body['receipt_code']}").json()
    assert check == {
        "counted": True,
        "process": area.process.slug,
        "cast_at": check["cast_at"],
        "changed_at": own["changed_at"],
    }


def test_a_ballot_over_the_budget_is_a_422_in_the_clients_language(client, voter, area, projects):
    response = put(
        client, area, voter, {"projects": [p.pk for p in projects]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert "more than the area's budget" in response.json()["detail"]
    assert not Ballot.objects.exists()


def test_voting_when_not_eligible_or_closed_is_a_422(client, outsider, resident, projects, area):
    response = put(client, area, outsider, {"projects": [projects[0].pk]})
    assert response.status_code == 422 and response.json()["detail"]
    closed = BudgetAreaFactory(process=ProcessFactory(phases=PhaseKind.IMPLEMENTATION))
    declare_resident(resident, closed.process)
    response = put(client, closed, resident, {"projects": [ProjectFactory(area=closed).pk]})
    assert response.status_code == 422
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("bad", [[2**64], [-1], [0], ["x"], [1, 1], "1"])
def test_ids_that_cannot_be_projects_are_a_422(client, voter, area, projects, bad):
    if bad == [1, 1]:
        bad = [projects[0].pk, projects[0].pk]
    response = put(client, area, voter, {"projects": bad})
    assert response.status_code == 422
    assert not Ballot.objects.exists()


def test_ballots_need_a_token_and_show_only_ones_own(client, voter, area, projects):
    assert (
        client.put(
            f"/api/v1/processes/{area.process.slug}/ballot",
            {"projects": [projects[0].pk]},
            content_type="application/json",
        ).status_code
        == 401
    )
    put(client, area, voter, {"projects": [projects[0].pk]})
    someone = UserFactory()
    response = client.get(f"/api/v1/processes/{area.process.slug}/ballot", **auth(someone))
    assert response.status_code == 404
    assert str(projects[0].pk) not in response.content.decode()


def test_an_unknown_receipt_code_is_a_404(client):
    assert client.get("/api/v1/ballots/K7QM-2XRB-9TFA").status_code == 404
    assert client.get("/api/v1/ballots/%3Cscript%3E").status_code == 404


def test_results_are_open_data_after_voting_closes_and_refused_before(client, area, projects):
    BallotFactory(area=area, choices=[projects[0].pk])
    response = client.get(
        f"/api/v1/processes/{area.process.slug}/results", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        response.status_code == 403 and "published when voting closes" in response.json()["detail"]
    )
    closed = BudgetAreaFactory(process=ProcessFactory(phases=PhaseKind.IMPLEMENTATION))
    funded, other = ProjectFactory(area=closed), ProjectFactory(area=closed)
    BallotFactory(area=closed, choices=[funded.pk], voter=UserFactory())
    body = client.get(f"/api/v1/processes/{closed.process.slug}/results").json()
    [result] = body["areas"]
    assert [(p["id"], p["votes"], p["funded"]) for p in result["projects"]] == [
        (funded.pk, 1, True),
        (other.pk, 0, False),
    ]
    assert body["turnout"] == {
        "ballots": 1,
        "by_area": [
            {
                "area": closed.pk,
                "ballots": 1,
                "population": body["turnout"]["by_area"][0]["population"],
            }
        ],
        "by_basis": [
            {"basis": "resident", "ballots": 1},
            {"basis": "summer_resident", "ballots": 0},
        ],
    }
    assert "voter" not in response.content.decode()
