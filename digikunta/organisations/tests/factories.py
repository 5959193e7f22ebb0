import factory

from digikunta.accounts.tests.factories import UserFactory
from digikunta.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Kokeiluyhdistys {n} ry")
    slug = factory.Sequence(lambda n: f"kokeiluyhdistys-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
