import factory

from digikunta.experiments.models import (
    Experiment,
    Indicator,
    Status,
    TeamMember,
    TeamRole,
    Visibility,
)
from digikunta.organisations.tests.factories import OrganisationFactory


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experiment

    class Params:
        ended = factory.Trait(
            status=Status.ENDED, outcome="partly", results="Jonot lyhenivät kolmanneksella."
        )

    title = factory.Sequence(lambda n: f"Tilavarauskokeilu {n}")
    slug = factory.Sequence(lambda n: f"tilavarauskokeilu-{n}")
    summary = "Kokeillaan tilojen varaamista verkossa ovien avauksen ja maksamisen kanssa."
    owner = factory.SubFactory(OrganisationFactory)
    language = "fi"
    # Published unless a test says otherwise; new experiments made by people start as drafts.
    visibility = Visibility.PUBLIC


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    experiment = factory.SubFactory(ExperimentFactory)
    role = TeamRole.LEAD


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    experiment = factory.SubFactory(ExperimentFactory)
    name = "Varausten määrä"
    unit = "kpl"
    baseline = 10
    target = 50
