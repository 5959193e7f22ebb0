from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from digikunta.funding.models import Call, Criterion, Question, QuestionKind
from digikunta.organisations.models import Organisation


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    organiser = factory.LazyFunction(lambda: Organisation.objects.get(slug="uusimaa-maakunta"))
    slug = factory.Sequence(lambda n: f"kokeiluhaku-{n}")
    title = factory.Sequence(lambda n: f"Digikokeilujen pikahaku {n}")
    title_sv = factory.Sequence(lambda n: f"Snabbansökan för digitala försök {n}")
    description = "Rahoitusta pieniin digitaalisiin kokeiluihin."
    description_sv = "Finansiering för små digitala försök."
    total_budget = Decimal("50000")
    max_per_application = Decimal("10000")
    own_contribution_percent = 20
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=13))
    decision_days = 14
    report_due_days = 30
    legal_basis = "Kuntalaki (410/2015) ja Uudenmaan liiton avustusperiaatteet."
    legal_basis_sv = "Kommunallagen (410/2015) och Nylands förbunds principer för bidrag."
    appeal_instructions = (
        "Tähän päätökseen tyytymätön voi tehdä kirjallisen oikaisuvaatimuksen 14 päivän "
        "kuluessa tiedoksisaannista. Oikaisuvaatimus toimitetaan Uudenmaan liiton kirjaamoon."
    )
    appeal_instructions_sv = (
        "Den som är missnöjd med beslutet kan framställa ett skriftligt omprövningskrav inom "
        "14 dagar från delfåendet, till Nylands förbunds registratur."
    )
    published = True

    @factory.post_generation
    def with_form(call, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Criterion.objects.create(
            call=call, position=0, name="Vaikuttavuus", name_sv="Effekt", weight=2
        )
        Criterion.objects.create(
            call=call, position=1, name="Toteutettavuus", name_sv="Genomförbarhet", weight=1
        )
        Question.objects.create(
            call=call,
            position=0,
            kind=QuestionKind.LONG_TEXT,
            label="Mitä opitte, jos kokeilu epäonnistuu?",
            label_sv="Vad lär ni er om försöket misslyckas?",
        )
        Question.objects.create(
            call=call,
            position=1,
            kind=QuestionKind.NUMBER,
            label="Montako kuntalaista kokeilu tavoittaa?",
            label_sv="Hur många invånare når försöket?",
            required=False,
        )


def reviewed(application, *, score=4):
    """Submitted reviews, as many as the call asks for, each scoring every criterion ``score``."""
    from digikunta.accounts.models import PlatformRole
    from digikunta.accounts.tests.factories import UserFactory
    from digikunta.funding import services

    criteria = list(application.call.criteria.all())
    for _n in range(application.call.reviewers_per_application):
        reviewer = UserFactory(roles=[PlatformRole.REVIEWER], totp=True)
        [assignment] = services.reviewers_assign(
            application=application, reviewers=[reviewer], by=reviewer
        )
        services.scores_save(
            assignment=assignment, by=reviewer, scores={c.pk: (score, "") for c in criteria}
        )
        services.review_submit(assignment=assignment, by=reviewer)
    return application
