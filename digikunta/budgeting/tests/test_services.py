"""Casting and changing a ballot, and the organisers' areas and projects, through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from digikunta.accounts import services as accounts
from digikunta.budgeting import receipts, selectors, services
from digikunta.budgeting.models import Ballot, Project
from digikunta.budgeting.tests.factories import (
    BudgetAreaFactory,
    ProjectFactory,
    declare_resident,
    voting_process,
)
from digikunta.core import privacy
from digikunta.municipalities.models import Municipality
from digikunta.participation import services as participation
from digikunta.participation.models import PhaseKind
from digikunta.participation.tests.factories import KUOPIO, ProcessFactory, phases_around_today

pytestmark = pytest.mark.django_db

SIILINJARVI = "749"


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are asserted in English, the catalogues' source."""
    with translation.override("en"):
        yield


@pytest.fixture
def area():
    return BudgetAreaFactory()


@pytest.fixture
def voter(resident, area):
    declare_resident(resident, area.process)
    return resident


def cast(voter, area, *projects, **kwargs):
    return services.ballot_cast(
        voter=voter, process=area.process, project_ids=[p.pk for p in projects], **kwargs
    )


def test_a_resident_casts_a_ballot_and_gets_a_receipt_code(voter, area):
    first, second = ProjectFactory(area=area), ProjectFactory(area=area, estimated_cost=9000)
    result = cast(voter, area, second, first)
    assert result.is_new and receipts.normalise(result.receipt_code)
    ballot = Ballot.objects.get()
    assert ballot.voter == voter and ballot.area == area
    assert ballot.choices == sorted([first.pk, second.pk])
    assert ballot.receipt_digest == receipts.digest(result.receipt_code)
    assert ballot.basis == "resident" and ballot.municipality_id == KUOPIO
    assert result.choice.tally.remaining == Decimal("6000")
    assert selectors.ballot_by_receipt(result.receipt_code).pk == ballot.pk


def test_a_ballot_changes_until_voting_closes_and_keeps_its_receipt(voter, area):
    first, second = ProjectFactory(area=area), ProjectFactory(area=area)
    code = cast(voter, area, first).receipt_code
    changed = cast(voter, area, second)
    assert changed.receipt_code is None and not changed.is_new
    ballot = Ballot.objects.get()
    assert ballot.choices == [second.pk] and ballot.changed_at is not None
    assert selectors.ballot_by_receipt(code).pk == ballot.pk
    assert selectors.votes_per_project(area.process) == {second.pk: 1}
    after_close = timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationError) as error:
        cast(voter, area, first, today=after_close)
    assert "closed" in error.value.messages[0]
    assert Ballot.objects.get().choices == [second.pk]


def test_a_ballot_over_the_budget_is_refused_and_nothing_is_written(voter, area):
    big = ProjectFactory(area=area, estimated_cost=15000)
    other = ProjectFactory(area=area, estimated_cost=6000)
    with pytest.raises(ValidationError) as error:
        cast(voter, area, big, other)
    assert error.value.code == "over_budget" and "1,000" in error.value.messages[0]
    assert not Ballot.objects.exists()


def test_voting_outside_the_voting_phase_is_refused(resident):
    area = BudgetAreaFactory(process=ProcessFactory(phases=PhaseKind.CO_CREATION))
    declare_resident(resident, area.process)
    with pytest.raises(ValidationError) as error:
        cast(resident, area, ProjectFactory(area=area))
    assert "opens on" in error.value.messages[0]
    assert not Ballot.objects.exists()


def test_someone_not_eligible_cannot_vote(outsider, area):
    with pytest.raises(ValidationError) as error:
        cast(outsider, area, ProjectFactory(area=area))
    assert "declare" in error.value.messages[0]
    declare_resident(outsider, area.process)  # now they may
    assert cast(outsider, area, ProjectFactory(area=area)).is_new


def test_an_unpublished_process_takes_no_ballots(resident):
    area = BudgetAreaFactory(process=voting_process(published_at=None))
    declare_resident(resident, area.process)
    with pytest.raises(ValidationError):
        cast(resident, area, ProjectFactory(area=area))


def test_a_project_whose_cost_is_not_checked_is_not_on_the_ballot(voter, area):
    with pytest.raises(ValidationError) as error:
        cast(voter, area, ProjectFactory(area=area, unchecked=True))
    assert error.value.code == "not_on_ballot"


@pytest.mark.parametrize("bad", [[-1], [0], [2**63], [2**64 + 1], ["1; DROP TABLE"]])
def test_ids_that_cannot_be_projects_are_refused(voter, area, bad):
    with pytest.raises(ValidationError):
        services.ballot_cast(voter=voter, process=area.process, project_ids=bad)
    assert not Ballot.objects.exists()


def test_the_same_project_twice_is_refused(voter, area):
    project = ProjectFactory(area=area)
    with pytest.raises(ValidationError) as error:
        cast(voter, area, project, project)
    assert error.value.code == "duplicate"


@pytest.fixture
def two_municipalities():
    process = voting_process(
        municipalities=list(Municipality.objects.filter(code__in=[KUOPIO, SIILINJARVI]))
    )
    kuopio = BudgetAreaFactory(
        process=process, municipalities=[Municipality.objects.get(code=KUOPIO)]
    )
    siilinjarvi = BudgetAreaFactory(
        process=process, municipalities=[Municipality.objects.get(code=SIILINJARVI)]
    )
    return kuopio, siilinjarvi


def test_a_resident_votes_in_the_area_of_their_municipality_only(resident, two_municipalities):
    kuopio, siilinjarvi = two_municipalities
    declare_resident(resident, kuopio.process)
    assert services.ballot_areas(resident, kuopio.process) == [kuopio]
    with pytest.raises(ValidationError) as error:
        cast(resident, kuopio, ProjectFactory(area=siilinjarvi))
    assert error.value.code == "not_on_ballot"
    with pytest.raises(ValidationError):
        cast(resident, kuopio, ProjectFactory(area=kuopio), area_id=siilinjarvi.pk)
    assert cast(resident, kuopio, ProjectFactory(area=kuopio)).ballot.area == kuopio


def test_with_two_open_areas_the_voter_chooses_one(voter, area):
    district = BudgetAreaFactory(process=area.process, name="Keskusta")
    project = ProjectFactory(area=district)
    with pytest.raises(ValidationError) as error:
        cast(voter, area, project)
    assert "area" in error.value.message_dict
    assert cast(voter, area, project, area_id=district.pk).ballot.area == district


def test_a_new_receipt_code_replaces_the_old(voter, area):
    old = cast(voter, area, ProjectFactory(area=area)).receipt_code
    new = services.ballot_receipt_renew(voter=voter, process=area.process)
    assert selectors.ballot_by_receipt(old) is None
    assert selectors.ballot_by_receipt(new) == Ballot.objects.get()


def test_an_erased_voters_ballot_stays_counted_and_anonymous(voter, area):
    project = ProjectFactory(area=area)
    cast(voter, area, project)
    accounts.user_erase(user=voter)
    ballot = Ballot.objects.get()
    assert ballot.voter is None and ballot.choices == [project.pk]
    assert selectors.votes_per_project(area.process) == {project.pk: 1}


def test_the_voters_export_says_they_voted_and_never_what_they_chose(voter, area):
    projects = [ProjectFactory(area=area, estimated_cost=1000) for _ in range(3)]
    cast(voter, area, *projects)
    exported = privacy.collect(voter)
    rows = exported["budgeting.ballot"]
    assert [set(row) for row in rows] == [{"pk", "process", "cast_at", "changed_at"}]
    text = repr(exported)
    assert "choices" not in text and "receipt" not in text
    for project in projects:
        assert f"'project': {project.pk}" not in text and project.title not in text


# --- The organisers' side --------------------------------------------------------------------


@pytest.fixture
def preparing():
    return ProcessFactory(phases=PhaseKind.CO_CREATION)


def test_an_area_takes_only_municipalities_of_the_process(preparing):
    with pytest.raises(ValidationError) as error:
        services.area_save(
            process=preparing,
            name="Helsinki",
            budget=Decimal("1000"),
            municipalities=Municipality.objects.filter(code="091"),
        )
    assert "municipalities" in error.value.message_dict
    area = services.area_save(process=preparing, name=" Koko kunta ", budget=Decimal("50000"))
    assert area.name == "Koko kunta"
    with pytest.raises(ValidationError) as error:
        services.area_save(process=preparing, name="koko kunta", budget=Decimal("1"))
    assert "name" in error.value.message_dict


def test_a_project_is_rendered_safely_and_a_changed_cost_must_be_checked_again(
    preparing, coordinator
):
    area = services.area_save(process=preparing, name="Koko kunta", budget=Decimal("50000"))
    project = services.project_save(
        process=preparing,
        area=area,
        title="Skeittipaikka",
        description="**Uusi** <script>alert(1)</script> [x](javascript:alert(1))",
        estimated_cost=Decimal("30000"),
    )
    assert "<script" not in project.description_html and "javascript:" not in project.html
    assert "<strong>Uusi</strong>" in project.description_html
    services.project_check_cost(project=project, by=coordinator)
    assert project.is_cost_checked
    services.project_save(
        process=preparing,
        project=project,
        area=area,
        title="Skeittipaikka",
        description="Uusi",
        estimated_cost=Decimal("35000"),
    )
    project.refresh_from_db()
    assert not project.is_cost_checked


def test_nothing_changes_once_voting_has_started(area, coordinator):
    project = ProjectFactory(area=area, unchecked=True)
    for attempt in (
        lambda: services.area_save(process=area.process, area=area, name="X", budget=1),
        lambda: services.project_check_cost(project=project, by=coordinator),
        lambda: services.project_delete(project=project),
        lambda: services.area_delete(area=area),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.code == "locked"
    assert Project.objects.get().cost_checked_at is None


def test_once_a_ballot_is_cast_nothing_changes_even_if_voting_is_moved_later(voter, area):
    project = ProjectFactory(area=area)
    cast(voter, area, project)
    from_now = phases_around_today(PhaseKind.IDEAS)
    participation.phases_set(process=area.process, phases=from_now)
    with pytest.raises(ValidationError) as error:
        services.area_delete(area=area)
    assert error.value.code == "locked"
    assert Ballot.objects.count() == 1


def test_a_process_with_ballots_can_be_deleted_with_them(voter, area):
    cast(voter, area, ProjectFactory(area=area))
    area.process.delete()
    assert not Ballot.objects.exists() and not Project.objects.exists()
