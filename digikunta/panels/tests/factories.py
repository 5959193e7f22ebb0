"""Panels of Kuopio's processes, and volunteers who stand in them (declared residents)."""

from datetime import timedelta

import factory
from django.utils import timezone

from digikunta.accounts.tests.factories import UserFactory
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory
from digikunta.panels import services
from digikunta.panels.models import CitizensPanel, PanelState, Trait, Volunteer
from digikunta.participation.tests.factories import KUOPIO, ProcessFactory, declare_resident

ALPHABET = services.CODE_ALPHABET


def code_for(n: int) -> str:
    """A distinct, valid public code for each number (V-2222, V-2223, …)."""
    digits = []
    for _ in range(services.CODE_LENGTH):
        n, digit = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "V-" + "".join(reversed(digits))


class PanelFactory(factory.django.DjangoModelFactory):
    """An open panel of four seats, stratified by age band and language."""

    class Meta:
        model = CitizensPanel

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Kuopion kuntaraati {n}")
    title_sv = factory.Sequence(lambda n: f"Kuopios invånarpanel {n}")
    description = "Raati kokoontuu neljästi ja antaa suosituksen."
    description_html = "<p>Raati kokoontuu neljästi ja antaa suosituksen.</p>"
    seats = 4
    stratify_by = [Trait.AGE_BAND, Trait.LANGUAGE]
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    state = PanelState.OPEN
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        closed = factory.Trait(
            state=PanelState.CLOSED, closed_at=factory.LazyFunction(timezone.now)
        )
        draft = factory.Trait(state=PanelState.DRAFT, published_at=None)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    panel = factory.SubFactory(PanelFactory)
    user = factory.SubFactory(UserFactory)
    code = factory.Sequence(code_for)
    age_band = "25-44"
    language = "fi"
    consent_contact = True


def manager_of(process) -> object:
    """An administrator of the process's organiser (Kuopio): they run its panels."""
    user = UserFactory(name="Kaisa Kuntaraati", totp=True)
    MembershipFactory(organisation=process.organiser, user=user, role=MembershipRole.ADMIN)
    return user


def resident_of(process, **fields) -> object:
    """A person who has declared themselves a resident of Kuopio in the process."""
    user = UserFactory(**fields)
    declare_resident(user, process)
    return user


def kuopio() -> Municipality:
    return Municipality.objects.get(code=KUOPIO)


def kuopio_organisation() -> Organisation:
    return Organisation.objects.get(slug="kuopio")


def volunteers(panel, groups: dict[tuple[str, str], int]) -> list:
    """``groups[(age_band, language)]`` volunteers of each kind."""
    return [
        VolunteerFactory(panel=panel, age_band=age_band, language=language)
        for (age_band, language), count in groups.items()
        for _ in range(count)
    ]
