"""A vote in Kuopio: one area for the whole municipality with a budget of 20,000 €, projects with
checked costs, and a process whose voting phase runs today."""

from decimal import Decimal

import factory
from django.utils import timezone

from digikunta.budgeting import receipts
from digikunta.budgeting.models import Ballot, BudgetArea, Project
from digikunta.participation.models import Basis, PhaseKind
from digikunta.participation.tests.factories import KUOPIO, ProcessFactory, declare_resident

__all__ = [
    "BallotFactory",
    "BudgetAreaFactory",
    "ProjectFactory",
    "declare_resident",
    "voting_process",
]


def voting_process(**kwargs):
    """A published Kuopio process in its voting phase (three weeks, a week of it gone)."""
    kwargs.setdefault("phases", PhaseKind.VOTING)
    return ProcessFactory(**kwargs)


class BudgetAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetArea
        skip_postgeneration_save = True

    process = factory.LazyFunction(voting_process)
    name = factory.Sequence(lambda n: f"Koko kunta {n}")
    name_sv = factory.Sequence(lambda n: f"Hela kommunen {n}")
    budget = Decimal("20000")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if extracted:
            self.municipalities.set(extracted)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    area = factory.SubFactory(BudgetAreaFactory)
    title = factory.Sequence(lambda n: f"Penkkejä rantaan {n}")
    title_sv = factory.Sequence(lambda n: f"Bänkar vid stranden {n}")
    description = "Kymmenen **penkkiä** rantareitille."
    description_html = "<p>Kymmenen <strong>penkkiä</strong> rantareitille.</p>"
    estimated_cost = Decimal("5000")
    position = factory.Sequence(int)
    cost_checked_at = factory.LazyFunction(timezone.now)

    class Params:
        unchecked = factory.Trait(cost_checked_at=None)


class BallotFactory(factory.django.DjangoModelFactory):
    """A ballot written as it stands, for results after voting closed (no phase check)."""

    class Meta:
        model = Ballot

    area = factory.SubFactory(BudgetAreaFactory)
    process = factory.SelfAttribute("area.process")
    voter = None
    choices = factory.LazyFunction(list)
    receipt_digest = factory.Sequence(lambda n: receipts.digest(f"{n:012d}"))
    basis = Basis.RESIDENT
    municipality_id = KUOPIO
