"""Every write of participatory budgeting, in a transaction, with a translated ValidationError
when a rule is broken (voting.py for the ballot's rules; participation.services.check_can for
the phase and who may vote).

A ballot is written only by ``ballot_cast``: its choices go into the one ballot row and nowhere
else (no audit event, no log line, no task; docs/decisions/0021-secret-ballot-in-one-row.md).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.budgeting import receipts, selectors, voting
from digikunta.budgeting.models import Ballot, BudgetArea, Project
from digikunta.core.markdown import render_markdown
from digikunta.municipalities.models import Municipality
from digikunta.participation import eligibility
from digikunta.participation.lifecycle import Action
from digikunta.participation.models import Idea, Process
from digikunta.participation.services import check_can


def _check_not_started(process: Process) -> None:
    """Areas, budgets and projects are fixed once voting starts, or once a ballot is cast (the
    phases may have been moved since): a ballot is cast on what the voter saw."""
    if selectors.voting_state(process).has_started or selectors.ballot_count(process):
        raise ValidationError(
            _("Voting has started: the areas, budgets and projects can no longer be changed."),
            code="locked",
        )


def area_save(
    *,
    process: Process,
    name: str,
    budget: Decimal,
    area: BudgetArea | None = None,
    name_sv: str = "",
    municipalities: Iterable[Municipality] = (),
    position: int = 0,
) -> BudgetArea:
    """Add an area to the process, or change one, before voting starts. Its municipalities, if
    any, are some of the process's own."""
    _check_not_started(process)
    chosen = list(municipalities)
    area_codes = set(process.municipalities.values_list("code", flat=True))
    if any(m.code not in area_codes for m in chosen):
        raise ValidationError({"municipalities": _("Choose only municipalities of the process.")})
    with transaction.atomic():
        stored = area or BudgetArea(process=process)
        stored.name, stored.name_sv = name.strip(), name_sv.strip()
        stored.budget, stored.position = budget, position
        taken = BudgetArea.objects.filter(process=process, name__iexact=stored.name)
        if taken.exclude(pk=stored.pk).exists():
            raise ValidationError(
                {"name": _("The process already has an area of this name; choose another.")}
            )
        stored.full_clean(exclude=["process"])
        stored.save()
        stored.municipalities.set(chosen)
    return stored


def area_delete(*, area: BudgetArea) -> None:
    _check_not_started(area.process)
    with transaction.atomic():
        area.delete()


def project_save(
    *,
    process: Process,
    area: BudgetArea,
    title: str,
    description: str,
    estimated_cost: Decimal,
    project: Project | None = None,
    title_sv: str = "",
    description_sv: str = "",
    idea: Idea | None = None,
    position: int = 0,
) -> Project:
    """Add a project to an area, or change one, before voting starts. A changed cost must be
    checked again before the project is on the ballot."""
    _check_not_started(process)
    if area.process_id != process.pk:
        raise ValidationError({"area": _("Choose one of the areas of this process.")})
    if idea is not None and idea.process_id != process.pk:
        raise ValidationError({"idea": _("Choose one of the ideas of this process.")})
    with transaction.atomic():
        stored = project or Project()
        if project is not None and project.estimated_cost != estimated_cost:
            stored.cost_checked_by, stored.cost_checked_at = None, None
        stored.area, stored.idea = area, idea
        stored.title, stored.title_sv = title.strip(), title_sv.strip()
        stored.description, stored.description_sv = description, description_sv
        stored.estimated_cost, stored.position = estimated_cost, position
        stored.full_clean()
        stored.description_html = render_markdown(stored.description)
        stored.description_sv_html = (
            render_markdown(stored.description_sv) if stored.description_sv else ""
        )
        stored.save()
    return stored


def project_check_cost(*, project: Project, by: User) -> Project:
    """The municipality confirms the estimated cost: from now on the project is on the ballot."""
    _check_not_started(project.area.process)
    with transaction.atomic():
        project.cost_checked_by, project.cost_checked_at = by, timezone.now()
        project.save(update_fields=["cost_checked_by", "cost_checked_at"])
    return project


def project_delete(*, project: Project) -> None:
    _check_not_started(project.area.process)
    with transaction.atomic():
        project.delete()


@dataclass(frozen=True)
class Choice:
    """A checked set of choices: the area, its projects chosen, and what remains."""

    area: BudgetArea
    projects: list[Project]
    tally: voting.Tally
    basis: str
    municipality_code: str | None


def ballot_areas(user: User, process: Process) -> list[BudgetArea]:
    """The areas the person may vote in (none when they may not vote at all)."""
    return selectors.areas_for(selectors.areas_of(process), eligibility.standing(user, process))


def _area(areas: list[BudgetArea], area_id: int | None, current: Ballot | None) -> BudgetArea:
    if not areas:
        raise ValidationError(_("This vote has no area for your municipality."), code="no_area")
    if area_id is None:
        if len(areas) == 1:
            return areas[0]
        if current is not None and any(a.pk == current.area_id for a in areas):
            return next(a for a in areas if a.pk == current.area_id)
        raise ValidationError({"area": _("Choose the area you vote in.")}, code="area")
    for area in areas:
        if area.pk == area_id:
            return area
    raise ValidationError(
        {"area": _("You cannot vote in that area; choose one of the areas offered to you.")},
        code="area",
    )


def ballot_check(
    *,
    voter: User,
    process: Process,
    project_ids: Sequence[object],
    area_id: int | None = None,
    today: date | None = None,
) -> Choice:
    """Check choices without casting them (the review step, and the first half of casting):
    voting is open, the person may vote, in that area, for projects on its ballot, within its
    budget. Raises a ValidationError saying what to change."""
    check_can(voter, process, Action.VOTE, today=today)
    standing = eligibility.standing(voter, process)
    assert standing is not None  # check_can refused those without one
    ids = voting.clean_ids(project_ids)
    current = Ballot.objects.filter(process=process, voter=voter).only("area").first()
    area = _area(selectors.areas_for(selectors.areas_of(process), standing), area_id, current)
    projects, tally = voting.chosen_projects(ids, selectors.ballot_projects(area), area.budget)
    return Choice(area, projects, tally, standing.basis, standing.municipality_code)


@dataclass(frozen=True)
class Cast:
    ballot: Ballot
    choice: Choice
    # The code to show the person, once: only when this call created the ballot.
    receipt_code: str | None

    @property
    def is_new(self) -> bool:
        return self.receipt_code is not None


def ballot_cast(
    *,
    voter: User,
    process: Process,
    project_ids: Sequence[object],
    area_id: int | None = None,
    today: date | None = None,
) -> Cast:
    """Cast the person's ballot, or change it while voting is open.

    One ballot per person and process (the unique constraint decides): the row is inserted if
    missing (INSERT … ON CONFLICT DO NOTHING) and then locked and rewritten, so thirty casts
    at once by one person leave one row. The receipt code stays when a ballot is changed.
    """
    choice = ballot_check(
        voter=voter, process=process, project_ids=project_ids, area_id=area_id, today=today
    )
    code = receipts.new_code()
    digest = receipts.digest(code)
    now = timezone.now()
    chosen = sorted(p.pk for p in choice.projects)
    with transaction.atomic():
        Ballot.objects.bulk_create(
            [
                Ballot(
                    process=process,
                    voter=voter,
                    area=choice.area,
                    choices=chosen,
                    receipt_digest=digest,
                    basis=choice.basis,
                    municipality_id=choice.municipality_code,
                    cast_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        ballot = Ballot.objects.select_for_update().get(process=process, voter=voter)
        is_new = ballot.receipt_digest == digest
        if not is_new:
            ballot.area = choice.area
            ballot.choices = chosen
            ballot.basis = choice.basis
            ballot.municipality_id = choice.municipality_code
            ballot.changed_at = now
            ballot.save(update_fields=["area", "choices", "basis", "municipality", "changed_at"])
    return Cast(ballot, choice, code if is_new else None)


def ballot_receipt_renew(*, voter: User, process: Process) -> str:
    """A new receipt code for the person's ballot (they lost the first); the old one stops
    working. The choices are not touched."""
    code = receipts.new_code()
    with transaction.atomic():
        updated = Ballot.objects.filter(process=process, voter=voter).update(
            receipt_digest=receipts.digest(code)
        )
    if not updated:
        raise ValidationError(_("You have not voted in this process."), code="no_ballot")
    return code
