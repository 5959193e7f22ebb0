"""Processes in Kuopio with their phases around today, ideas and declarations."""

from datetime import timedelta

import factory
from django.db.models import F
from django.utils import timezone

from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.participation import services
from digikunta.participation.models import Basis, Declaration, Idea, PhaseKind, Process

KUOPIO = "297"


def phases_around_today(current: str = PhaseKind.IDEAS) -> list[dict]:
    """Four phases of three weeks each, in order, with ``current`` running today."""
    today = timezone.localdate()
    order = [PhaseKind.IDEAS, PhaseKind.CO_CREATION, PhaseKind.VOTING, PhaseKind.IMPLEMENTATION]
    start = today - timedelta(days=7 + 21 * order.index(current))
    phases = []
    for kind in order:
        phases.append({"kind": kind, "starts_on": start, "ends_on": start + timedelta(days=20)})
        start += timedelta(days=21)
    return phases


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process
        skip_postgeneration_save = True

    organiser = factory.LazyFunction(lambda: Organisation.objects.get(slug="kuopio"))
    slug = factory.Sequence(lambda n: f"mita-tekisit-10-000-eurolla-{n}")
    title = factory.Sequence(lambda n: f"Mitä tekisit 10 000 eurolla? {n}")
    title_sv = factory.Sequence(lambda n: f"Vad skulle du göra med 10 000 euro? {n}")
    description = "Ehdota, miten **Kuopio** käyttäisi 10 000 euroa digitaalisiin palveluihin."
    description_html = "<p>Ehdota, miten <strong>Kuopio</strong> käyttäisi 10 000 euroa.</p>"
    eligible_bases = [Basis.RESIDENT, Basis.SUMMER_RESIDENT]
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        self.municipalities.set(extracted or [Municipality.objects.get(code=KUOPIO)])

    @factory.post_generation
    def phases(self, create, extracted, **kwargs):
        services.phases_set(process=self, phases=phases_around_today(extracted or PhaseKind.IDEAS))


def declare_resident(user, process, code: str = KUOPIO) -> Declaration:
    return services.declare(
        user=user,
        process=process,
        basis=Basis.RESIDENT,
        municipality=Municipality.objects.get(code=code),
    )


class IdeaFactory(factory.django.DjangoModelFactory):
    """An idea as the services would leave it, its process's kept count included."""

    class Meta:
        model = Idea

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Kirjaston lainaus puhelimella {n}")
    body = "Lainaus ja palautus sovelluksella, ilman jonoa."
    body_html = "<p>Lainaus ja palautus sovelluksella, ilman jonoa.</p>"
    language = "fi"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        idea = super()._create(model_class, *args, **kwargs)
        Process.objects.filter(pk=idea.process_id).update(idea_count=F("idea_count") + 1)
        return idea
