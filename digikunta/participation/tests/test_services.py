"""Processes, declarations, ideas, answers and support, through the services."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from digikunta.accounts.tests.factories import UserFactory
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.participation import eligibility, services
from digikunta.participation.models import AnswerStatus, Basis, Idea, PhaseKind, Support
from digikunta.participation.tests.factories import (
    KUOPIO,
    IdeaFactory,
    ProcessFactory,
    declare_resident,
    phases_around_today,
)

pytestmark = pytest.mark.django_db


def test_a_resident_who_declared_posts_an_idea_and_follows_it(resident):
    process = ProcessFactory()
    declare_resident(resident, process)
    idea = services.idea_create(
        by=resident, process=process, title="  Penkkejä rantaan ", body="**Nyt** <script>x</script>"
    )
    assert idea.title == "Penkkejä rantaan"
    assert "<script" not in idea.body_html and "<strong>Nyt</strong>" in idea.body_html
    assert idea.follows.filter(user=resident).exists()


def test_without_a_declaration_a_resident_cannot_post_and_is_told_why(resident):
    process = ProcessFactory()
    with pytest.raises(ValidationError) as error:
        services.idea_create(by=resident, process=process, title="Idea", body="Teksti")
    assert "Kuopio" in error.value.messages[0]
    assert not Idea.objects.exists()


def test_a_declaration_for_a_municipality_outside_the_area_is_refused(resident):
    process = ProcessFactory()
    with pytest.raises(ValidationError):
        declare_resident(resident, process, code="091")


def test_a_basis_the_process_does_not_take_is_refused(resident):
    process = ProcessFactory(eligible_bases=[Basis.RESIDENT])
    with pytest.raises(ValidationError):
        services.declare(
            user=resident,
            process=process,
            basis=Basis.SUMMER_RESIDENT,
            municipality=Municipality.objects.get(code=KUOPIO),
        )


def test_a_summer_resident_stands_as_one_and_the_statement_is_kept(resident):
    process = ProcessFactory()
    declaration = services.declare(
        user=resident,
        process=process,
        basis=Basis.SUMMER_RESIDENT,
        municipality=Municipality.objects.get(code=KUOPIO),
    )
    standing = eligibility.standing(resident, process)
    assert standing.basis == Basis.SUMMER_RESIDENT and standing.municipality_code == KUOPIO
    assert "Kuopio" in declaration.statement


def test_anyone_signed_in_takes_part_without_declaring(resident):
    process = ProcessFactory(eligible_bases=[Basis.SIGNED_IN])
    assert eligibility.standing(resident, process).basis == Basis.SIGNED_IN


def test_the_profile_offers_the_home_and_summer_municipalities_in_the_area(resident):
    process = ProcessFactory()
    services.profile_set(
        user=resident,
        home_municipality=Municipality.objects.get(code="091"),
        summer_municipalities=Municipality.objects.filter(code__in=[KUOPIO, "049"]),
    )
    assert [(basis, m.code) for basis, m in eligibility.offered(resident, process)] == [
        (Basis.SUMMER_RESIDENT, KUOPIO)
    ]


def test_ideas_are_posted_only_in_the_ideas_phase(resident):
    process = ProcessFactory(phases=PhaseKind.VOTING)
    declare_resident(resident, process)
    with pytest.raises(ValidationError) as error:
        services.idea_create(by=resident, process=process, title="Myöhässä", body="x")
    assert "päättynyt" in error.value.messages[0]


def test_an_unpublished_process_takes_no_ideas(resident):
    process = ProcessFactory(published_at=None)
    declare_resident(resident, process)
    with pytest.raises(ValidationError):
        services.idea_create(by=resident, process=process, title="Liian aikaisin", body="x")


def test_half_a_position_is_refused(resident):
    process = ProcessFactory()
    declare_resident(resident, process)
    with pytest.raises(ValidationError):
        services.idea_create(
            by=resident, process=process, title="Paikka", body="x", latitude="62.89"
        )
    with pytest.raises(ValidationError):
        services.idea_create(
            by=resident, process=process, title="Paikka", body="x", latitude="91", longitude="27"
        )
    assert not Idea.objects.exists()


def test_support_counts_once_and_can_be_withdrawn(resident):
    idea = IdeaFactory()
    declare_resident(resident, idea.process)
    assert services.support_add(user=resident, idea=idea) is True
    assert services.support_add(user=resident, idea=idea) is False
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert services.support_remove(user=resident, idea=idea) is True
    assert services.support_remove(user=resident, idea=idea) is False
    idea.refresh_from_db()
    assert idea.support_count == 0 and not Support.objects.exists()


def test_someone_not_eligible_cannot_support(outsider):
    idea = IdeaFactory()
    with pytest.raises(ValidationError):
        services.support_add(user=outsider, idea=idea)
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_the_answer_is_mailed_to_author_supporters_and_followers_in_their_language(
    resident, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(author=resident)
    declare_resident(resident, idea.process)
    services.idea_follow(user=resident, idea=idea)
    swede = UserFactory(language="sv")
    declare_resident(swede, idea.process)
    services.support_add(user=swede, idea=idea)
    official = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_set(
            idea=idea,
            by=official,
            status=AnswerStatus.ACCEPTED,
            reasoning="Otetaan mukaan ensi vuoden talousarvioon.",
            office="Kuopion kaupunki, sivistyslautakunta",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([resident.email, swede.email])
    swedish = next(m for m in mail.outbox if m.to == [swede.email])
    assert "/sv/" in swedish.body and "sivistyslautakunta" in swedish.body


def test_an_answer_needs_an_office_and_a_valid_status(resident):
    idea = IdeaFactory()
    with pytest.raises(ValidationError):
        services.answer_set(idea=idea, by=resident, status="maybe", reasoning="x", office="Y")
    with pytest.raises(ValidationError):
        services.answer_set(
            idea=idea, by=resident, status=AnswerStatus.ACCEPTED, reasoning="x", office=" "
        )


def test_phases_must_come_in_order():
    process = ProcessFactory()
    phases = phases_around_today()
    phases[1]["starts_on"] = phases[0]["starts_on"]
    with pytest.raises(ValidationError):
        services.phases_set(process=process, phases=phases)
    assert process.phases.count() == 4


def test_a_process_needs_an_area_and_someone_to_take_part(org_admin):
    kuopio = Organisation.objects.get(slug="kuopio")
    with pytest.raises(ValidationError):
        services.process_create(
            by=org_admin,
            organiser=kuopio,
            municipalities=[],
            title="X",
            description="Y",
            eligible_bases=[Basis.RESIDENT],
        )
    with pytest.raises(ValidationError):
        services.process_create(
            by=org_admin,
            organiser=kuopio,
            municipalities=Municipality.objects.filter(code=KUOPIO),
            title="X",
            description="Y",
            eligible_bases=["aliens"],
        )


def test_an_erased_supporter_leaves_the_count_equal_to_the_rows_and_the_idea_unsigned(resident):
    from digikunta.accounts.services import user_erase, user_export

    idea = IdeaFactory(author=resident)
    declare_resident(resident, idea.process)
    services.support_add(user=resident, idea=idea)
    other = UserFactory()
    declare_resident(other, idea.process)
    services.support_add(user=other, idea=idea)
    exported = user_export(user=resident)
    assert any("participation" in str(key).lower() for key in exported)
    user_erase(user=resident)
    idea.refresh_from_db()
    assert idea.support_count == 1 == idea.supports.count()
    assert idea.author is None and idea.title


def test_a_supporter_who_chose_a_daily_digest_or_off_is_not_mailed_at_once(
    resident, django_capture_on_commit_callbacks
):
    from digikunta.notifications.models import Notification
    from digikunta.notifications.services import preferences_save

    idea = IdeaFactory(author=resident)
    preferences_save(user=resident, choices={"idea_answered": "daily"})
    quiet = UserFactory()
    declare_resident(quiet, idea.process)
    services.support_add(user=quiet, idea=idea)
    preferences_save(user=quiet, choices={"idea_answered": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_set(
            idea=idea,
            by=UserFactory(),
            status=AnswerStatus.ACCEPTED,
            reasoning="Kyllä.",
            office="Kuopion kaupunki",
        )
    assert mail.outbox == []
    assert Notification.objects.filter(user=resident, kind="idea_answered").count() == 1
    assert not Notification.objects.filter(user=quiet).exists()
