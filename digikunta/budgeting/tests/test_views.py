"""The pages: the projects, the ballot with its review step, the receipt, "is my ballot
counted?", the results with the funded line, and the organisers' pages."""

import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from digikunta.budgeting.models import Ballot, BudgetArea, Project
from digikunta.budgeting.tests.factories import (
    BallotFactory,
    BudgetAreaFactory,
    ProjectFactory,
    declare_resident,
)
from digikunta.budgeting.views import RECEIPT_KEY
from digikunta.participation.models import PhaseKind
from digikunta.participation.tests.factories import IdeaFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def url(name, process, *args):
    with translation.override("en"):
        return reverse(f"budgeting:{name}", args=[process.slug, *args])


@pytest.fixture
def area():
    return BudgetAreaFactory(name="Koko kunta", name_sv="Hela kommunen")


@pytest.fixture
def projects(area):
    return [
        ProjectFactory(area=area, title="Skeittipaikka", estimated_cost=12000),
        ProjectFactory(area=area, title="Penkit rantaan", estimated_cost=6500),
        ProjectFactory(area=area, title="Kirjastoauto", estimated_cost=9000),
    ]


@pytest.fixture
def voter(client, resident, area):
    declare_resident(resident, area.process)
    client.force_login(resident)
    return resident


def choose(*projects, area=None):
    return {"area": str(area.pk) if area else "", "projects": [str(p.pk) for p in projects]}


# --- The projects -----------------------------------------------------------------------------


def test_everyone_sees_the_projects_on_the_ballot_and_not_those_unchecked(client, area, projects):
    ProjectFactory(area=area, title="Vielä laskematta", unchecked=True)
    html = client.get(url("budget", area.process)).content.decode()
    assert "Skeittipaikka" in html and "12,000 €" in html
    assert "Vielä laskematta" not in html
    assert "Sign in to vote" in html


def test_the_projects_of_an_unpublished_process_are_not_found(client, outsider):
    area = BudgetAreaFactory(process=ProcessFactory(published_at=None, phases=PhaseKind.VOTING))
    assert client.get(url("budget", area.process)).status_code == 404
    client.force_login(outsider)
    assert client.get(url("ballot", area.process)).status_code == 404


def test_the_projects_page_costs_the_same_queries_with_2_and_20_projects(
    client, area, django_assert_max_num_queries
):
    for count in (2, 20):
        Project.objects.all().delete()
        for _ in range(count):
            ProjectFactory(area=area, idea=IdeaFactory(process=area.process))
        with django_assert_max_num_queries(9):
            assert client.get(url("budget", area.process)).status_code == 200


# --- The ballot and its review step -----------------------------------------------------------


def test_the_ballot_needs_a_login(client, area):
    response = client.get(url("ballot", area.process))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_someone_not_eligible_is_told_why_they_cannot_vote(client, outsider, area, projects):
    client.force_login(outsider)
    response = client.get(url("ballot", area.process))
    assert response.status_code == 403
    assert "declare it first" in response.content.decode()
    response = client.post(url("review", area.process), choose(projects[0], area=area))
    assert response.status_code == 403
    response = client.post(url("cast", area.process), choose(projects[0], area=area))
    assert response.status_code == 403 and not Ballot.objects.exists()


def test_voting_outside_the_voting_phase_is_refused_with_the_date(client, resident):
    area = BudgetAreaFactory(process=ProcessFactory(phases=PhaseKind.CO_CREATION))
    project = ProjectFactory(area=area)
    declare_resident(resident, area.process)
    client.force_login(resident)
    response = client.post(url("cast", area.process), choose(project, area=area))
    assert response.status_code == 403
    assert "Voting opens on" in response.content.decode()
    assert not Ballot.objects.exists()


def test_the_ballot_shows_the_budget_and_what_remains(client, voter, area, projects):
    html = client.get(url("ballot", area.process)).content.decode()
    assert 'data-budget="20000.00"' in html
    assert "You have not chosen any project yet; the budget is 20,000 €." in html
    assert html.count('type="checkbox" name="projects"') == 3
    assert "<script" not in html.split("</head>")[1]  # no inline script: CSP


def test_the_review_step_sums_the_choices_and_offers_cast_and_change(client, voter, area, projects):
    skate, benches, _bus = projects
    response = client.post(url("review", area.process), choose(skate, benches, area=area))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You chose 2 projects for 18,500 €; 1,500 € remains." in html
    assert "Cast my ballot" in html and "Change my choices" in html
    assert not Ballot.objects.exists()  # reviewing writes nothing
    # "Change my choices" comes back to the ballot with the same boxes ticked.
    response = client.post(url("ballot", area.process), choose(skate, benches, area=area))
    checked = re.findall(
        r'value="(\d+)" id="project-\d+" data-cost="[\d.]+" checked', response.content.decode()
    )
    assert sorted(checked) == sorted([str(skate.pk), str(benches.pk)])


def test_a_ballot_over_the_budget_is_refused_at_review_keeping_the_choices(
    client, voter, area, projects
):
    response = client.post(url("review", area.process), choose(*projects, area=area))
    assert response.status_code == 422
    html = unescape(response.content.decode())
    assert "7,500 € more than the area's budget of 20,000 €" in html
    assert html.count(" checked>") == 3
    response = client.post(url("cast", area.process), choose(*projects, area=area))
    assert response.status_code == 422 and not Ballot.objects.exists()


@pytest.mark.parametrize("bad", [str(2**64), "-1", "0", "<script>alert(1)</script>"])
def test_ids_that_are_not_projects_answer_422_not_500(client, voter, area, projects, bad):
    data = {"area": str(area.pk), "projects": [str(projects[0].pk), bad]}
    response = client.post(url("review", area.process), data)
    assert response.status_code == 422
    assert "<script>alert" not in response.content.decode()
    assert client.post(url("cast", area.process), data).status_code == 422
    assert not Ballot.objects.exists()


def test_an_area_id_past_64_bits_is_refused(client, voter, area, projects):
    data = {"area": str(2**70), "projects": [str(projects[0].pk)]}
    assert client.post(url("cast", area.process), data).status_code == 422


def test_casting_shows_the_receipt_code_once_then_the_check_finds_it(client, voter, area, projects):
    response = client.post(url("cast", area.process), choose(projects[1], area=area))
    assert response.status_code == 303 and response["Location"] == url("receipt", area.process)
    page = client.get(response["Location"])
    assert "no-store" in page["Cache-Control"]
    code = re.search(r'id="receipt-code">([0-9A-Z-]{14})<', page.content.decode()).group(1)
    assert "Penkit rantaan" in page.content.decode()  # the voter sees their own choices
    assert RECEIPT_KEY not in client.session
    again = client.get(url("receipt", area.process)).content.decode()
    assert code not in again and "Get a new receipt code" in again
    client.logout()
    checked = client.post(url("check", area.process), {"code": code.lower()})
    html = checked.content.decode()
    assert checked.status_code == 200 and "This ballot is counted." in html
    assert "Penkit rantaan" not in html and voter.name not in html


def test_a_ballot_changed_keeps_its_receipt_and_shows_the_change(client, voter, area, projects):
    client.post(url("cast", area.process), choose(projects[0], area=area))
    code = re.search(
        r'id="receipt-code">([0-9A-Z-]{14})<',
        client.get(url("receipt", area.process)).content.decode(),
    ).group(1)
    ballot_page = client.get(url("ballot", area.process)).content.decode()
    assert (
        f'value="{projects[0].pk}" id="project-{projects[0].pk}" data-cost="12000.00" checked'
        in ballot_page
    )
    response = client.post(url("cast", area.process), choose(projects[2], area=area), follow=True)
    assert "Your ballot was changed; your receipt code stays the same." in response.content.decode()
    assert Ballot.objects.get().choices == [projects[2].pk]
    html = client.post(url("check", area.process), {"code": code}).content.decode()
    assert "Last changed on" in html


def test_a_new_receipt_code_can_be_had_and_the_old_stops_working(client, voter, area, projects):
    client.post(url("cast", area.process), choose(projects[0], area=area))
    client.get(url("receipt", area.process))
    response = client.post(url("receipt_renew", area.process))
    assert response.status_code == 303
    html = client.get(url("receipt", area.process)).content.decode()
    assert re.search(r'id="receipt-code">([0-9A-Z-]{14})<', html)


def test_the_check_page_says_so_when_a_code_is_unknown_or_mistyped(client, area):
    assert client.get(url("check", area.process)).status_code == 200
    response = client.post(url("check", area.process), {"code": "K7QM-2XRB-9TFA"})
    assert response.status_code == 404
    assert "No ballot in this vote has this receipt code" in response.content.decode()
    response = client.post(url("check", area.process), {"code": "<b>nope</b>"})
    assert response.status_code == 422
    assert "&lt;b&gt;nope&lt;/b&gt;" in response.content.decode()  # kept, escaped


def test_casting_needs_a_post(client, voter, area):
    assert client.get(url("cast", area.process)).status_code == 405
    assert client.get(url("review", area.process)).status_code == 405


def test_with_two_open_areas_the_voter_first_chooses_one(client, voter, area, projects):
    district = BudgetAreaFactory(process=area.process, name="Keskusta")
    ProjectFactory(area=district, title="Keskustan puisto")
    html = client.get(url("ballot", area.process)).content.decode()
    assert "Choose the area you vote in" in html and f"?area={district.pk}" in html
    html = client.get(url("ballot", area.process) + f"?area={district.pk}").content.decode()
    assert "Keskustan puisto" in html and "Skeittipaikka" not in html


# --- Results ----------------------------------------------------------------------------------


@pytest.fixture
def closed():
    """A vote that closed: A 12,000 € (3 votes) is funded, B 10,000 € (2) does not fit, C
    8,000 € (1) does, D has no votes."""
    area = BudgetAreaFactory(
        process=ProcessFactory(phases=PhaseKind.IMPLEMENTATION), budget=Decimal("20000")
    )
    a, b, c, d = (
        ProjectFactory(area=area, title=title, estimated_cost=cost)
        for title, cost in (("Aa", 12000), ("Bb", 10000), ("Cc", 8000), ("Dd", 500))
    )
    for choices in ([a, b], [a, b], [a, c]):
        BallotFactory(area=area, choices=sorted(p.pk for p in choices))
    BallotFactory(area=area, choices=[], basis="summer_resident")
    return area, (a, b, c, d)


def test_the_results_rank_the_projects_and_draw_the_funded_line(client, closed):
    area, (a, b, c, d) = closed
    html = client.get(url("results", area.process)).content.decode()
    rows = re.findall(r'<th scope="row">(Aa|Bb|Cc|Dd)</th>', html)
    assert rows == ["Aa", "Bb", "Cc", "Dd"]
    line = html.index('class="funded-line"')
    assert html.index(">Aa<") < line < html.index(">Bb<")
    assert "The budget runs out here: 8,000 € remained for the projects below." in html
    assert "Funded: fits in what remained" in html  # Cc, below the line
    assert "4 ballots were cast." in html
    assert re.search(
        r"Summer resident</th><td class=\"numeric\">1</td><td class=\"numeric\">25.0", html
    )


def test_the_results_are_not_shown_before_voting_closes(client, coordinator, area, projects):
    BallotFactory(area=area, choices=[projects[0].pk])
    client.force_login(coordinator)  # not even to those who run the process
    html = client.get(url("results", area.process)).content.decode()
    assert "published when voting has closed" in html and "Skeittipaikka" not in html
    assert client.get(url("results_export", area.process, "csv")).status_code == 404


def test_the_results_as_open_data_hold_only_aggregates(client, closed, resident):
    area, (a, *_rest) = closed
    Ballot.objects.filter(pk=Ballot.objects.first().pk).update(voter=resident)
    rows = json.loads(
        b"".join(client.get(url("results_export", area.process, "json")).streaming_content)
    )
    assert rows[0]["title"] == "Aa" and rows[0]["votes"] == 3 and rows[0]["funded"] is True
    assert set(rows[0]) == {
        "area", "area_sv", "area_budget", "rank", "project_id", "title", "title_sv",
        "estimated_cost", "votes", "funded",
    }  # fmt: skip
    csv = b"".join(client.get(url("turnout_export", area.process, "csv")).streaming_content)
    text = csv.decode("utf-8-sig")
    assert text.splitlines()[0] == "grouping,area,basis,ballots,share_of_ballots,population"
    assert "basis,,resident,3,75.0," in text and "basis,,summer_resident,1,25.0," in text
    assert resident.email not in text and resident.name not in text
    assert client.get(url("results_export", area.process, "exe")).status_code == 404


def test_the_results_page_costs_the_same_queries_with_2_and_20_projects(
    client, django_assert_max_num_queries
):
    area = BudgetAreaFactory(process=ProcessFactory(phases=PhaseKind.IMPLEMENTATION))
    for count in (2, 20):
        Project.objects.all().delete()
        projects = [ProjectFactory(area=area) for _ in range(count)]
        BallotFactory(area=area, choices=[p.pk for p in projects[:2]])
        with django_assert_max_num_queries(10):
            assert client.get(url("results", area.process)).status_code == 200


# --- The organisers' pages --------------------------------------------------------------------


@pytest.fixture
def preparing():
    return ProcessFactory(phases=PhaseKind.CO_CREATION)


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("outsider", 403), ("resident", 403), ("coordinator", 200)]
)
def test_only_those_who_run_the_process_manage_it(client, request, preparing, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(url("manage", preparing)).status_code == status
    assert client.get(url("area_create", preparing)).status_code == status


def test_an_organiser_sets_up_an_area_and_a_project_from_an_idea(client, coordinator, preparing):
    client.force_login(coordinator)
    response = client.post(
        url("area_create", preparing), {"name": "Koko kunta", "budget": "-5", "position": "0"}
    )
    assert response.status_code == 422 and 'value="Koko kunta"' in response.content.decode()
    assert not BudgetArea.objects.exists()
    response = client.post(
        url("area_create", preparing),
        {"name": "Koko kunta", "name_sv": "Hela kommunen", "budget": "50000", "position": "0"},
    )
    assert response.status_code == 302
    area = BudgetArea.objects.get()
    idea = IdeaFactory(process=preparing, title="Uimaranta Kallavedelle")
    form = client.get(url("project_create", preparing) + f"?idea={idea.pk}").content.decode()
    assert 'value="Uimaranta Kallavedelle"' in form
    response = client.post(
        url("project_create", preparing),
        {
            "area": area.pk,
            "idea": idea.pk,
            "title": "Uimaranta <script>x</script>",
            "description": "Laituri ja **pukukoppi**.",
            "estimated_cost": "15000",
            "position": "1",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert not project.is_cost_checked and "<strong>pukukoppi</strong>" in project.description_html
    assert client.post(url("project_check", preparing, project.pk)).status_code == 302
    project.refresh_from_db()
    assert project.cost_checked_by == coordinator
    html = client.get(url("budget", preparing)).content.decode()
    assert "Uimaranta &lt;script&gt;x&lt;/script&gt;" in html


def test_once_voting_started_the_organiser_is_told_nothing_changes(client, coordinator, area):
    project = ProjectFactory(area=area, unchecked=True)
    client.force_login(coordinator)
    response = client.post(url("project_check", area.process, project.pk))
    assert response.status_code == 422
    assert "Voting has started" in response.content.decode()
    response = client.post(
        url("area_edit", area.process, area.pk), {"name": "X", "budget": "1", "position": "0"}
    )
    assert response.status_code == 422
    area.refresh_from_db()
    assert area.name != "X"


def test_a_project_of_another_process_is_not_found(client, coordinator, preparing):
    other = ProjectFactory()
    client.force_login(coordinator)
    assert client.post(url("project_check", preparing, other.pk)).status_code == 404
