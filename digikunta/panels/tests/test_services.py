"""Registering, closing, drawing, inviting and replacing, through the services."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from digikunta.accounts.services import user_erase
from digikunta.accounts.tests.factories import UserFactory
from digikunta.core import privacy
from digikunta.municipalities.models import Municipality
from digikunta.panels import draw, selectors, services
from digikunta.panels.models import (
    CitizensPanel,
    LeaveReason,
    PanelState,
    Replacement,
    Trait,
    Volunteer,
    VolunteerStatus,
)
from digikunta.panels.tests.factories import (
    PanelFactory,
    kuopio,
    manager_of,
    resident_of,
    volunteers,
)
from digikunta.participation.models import Basis
from digikunta.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages read in English here; the pages test fi and sv."""
    with translation.override("en"):
        yield


GROUPS = {("15-24", "fi"): 3, ("25-44", "fi"): 5, ("45-64", "sv"): 4, ("65+", "fi"): 4}


def register(panel, user, **fields):
    values = {"age_band": "25-44", "language": "fi", "consent_contact": True} | fields
    return services.volunteer_register(panel=panel, user=user, **values)


def drawn_panel(groups=GROUPS, seats=4, seed="kuopio-2025", **fields):
    panel = PanelFactory(closed=True, seats=seats, **fields)
    volunteers(panel, groups)
    manager = manager_of(panel.process)
    return services.panel_draw(panel=panel, by=manager, seed=seed), manager


def invited_panel(**kwargs):
    panel, manager = drawn_panel(**kwargs)
    services.invitations_send(panel=panel)
    return panel, manager


# --- Registering ------------------------------------------------------------------------


def test_a_declared_resident_volunteers_with_a_public_code_and_only_the_traits_asked():
    panel = PanelFactory()
    person = resident_of(panel.process)
    volunteer = register(panel, person, age_band="45-64", language="sv", gender="woman")
    assert re.fullmatch(r"V-[2-9A-HJ-NP-Z]{4}", volunteer.code)
    assert (volunteer.age_band, volunteer.language) == ("45-64", "sv")
    assert volunteer.gender == "" and volunteer.area is None  # not asked by this panel
    assert volunteer.status == VolunteerStatus.REGISTERED


def test_someone_who_does_not_stand_in_the_process_cannot_volunteer_and_is_told_why():
    panel = PanelFactory()
    with pytest.raises(ValidationError) as error:
        register(panel, UserFactory())
    assert "Kuopio" in error.value.messages[0]
    assert not Volunteer.objects.exists()


def test_anyone_signed_in_may_volunteer_when_the_process_takes_anyone():
    panel = PanelFactory(process__eligible_bases=[Basis.SIGNED_IN])
    assert register(panel, UserFactory()).pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"age_band": "10-14"}, "age_band"),
        ({"age_band": ""}, "age_band"),
        ({"language": "de"}, "language"),
        ({"consent_contact": False}, "consent_contact"),
    ],
)
def test_a_bad_answer_is_refused_by_its_field_and_nothing_is_written(fields, field):
    panel = PanelFactory()
    person = resident_of(panel.process)
    with pytest.raises(ValidationError) as error:
        register(panel, person, **fields)
    assert field in error.value.message_dict
    assert not Volunteer.objects.exists()


def test_the_municipality_must_be_one_of_the_process_s_area():
    panel = PanelFactory(stratify_by=[Trait.AREA])
    person = resident_of(panel.process)
    with pytest.raises(ValidationError) as error:
        register(panel, person, area=Municipality.objects.get(code="091"))
    assert error.value.message_dict["area"] == ["Choose one of the municipalities of the process."]
    assert register(panel, person, area=kuopio()).area == kuopio()


def test_gender_is_optional_and_then_counts_as_not_given():
    panel = PanelFactory(stratify_by=[Trait.GENDER])
    assert register(panel, resident_of(panel.process)).gender == "not_given"


def test_a_person_registers_once_per_panel():
    panel = PanelFactory()
    person = resident_of(panel.process)
    register(panel, person)
    with pytest.raises(ValidationError, match="already"):
        register(panel, person)
    assert Volunteer.objects.count() == 1


def test_registration_is_refused_once_it_has_closed_by_the_clock_or_by_the_organiser():
    late = PanelFactory(registration_closes_at=timezone.now() - timedelta(minutes=1))
    closed = PanelFactory(closed=True)
    draft = PanelFactory(draft=True)
    for panel in (late, closed, draft):
        with pytest.raises(ValidationError, match="closed"):
            register(panel, resident_of(panel.process))


def test_a_volunteer_withdraws_until_the_list_is_published_but_not_after():
    panel = PanelFactory()
    volunteer = register(panel, resident_of(panel.process))
    services.volunteer_withdraw(volunteer=volunteer)
    assert not Volunteer.objects.exists()
    volunteer = register(panel, resident_of(panel.process))
    services.panel_close(panel=panel)
    with pytest.raises(ValidationError, match="decline the invitation"):
        services.volunteer_withdraw(volunteer=volunteer)
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()


# --- Setting up -----------------------------------------------------------------------------


def test_a_panel_is_set_up_as_a_draft_with_its_traits_in_the_published_order():
    process = ProcessFactory()
    created = services.panel_create(
        by=manager_of(process),
        process=process,
        title=" Kuntaraati ",
        description="**Neljä** tapaamista",
        seats=24,
        registration_closes_at=timezone.now() + timedelta(days=30),
        stratify_by=[Trait.LANGUAGE, Trait.AGE_BAND],
    )
    assert created.state == PanelState.DRAFT and created.title == "Kuntaraati"
    assert created.stratify_by == ["age_band", "language"]
    assert "<strong>Neljä</strong>" in created.description_html


def test_a_closing_time_in_the_past_or_an_unknown_trait_is_refused():
    process = ProcessFactory()
    base = {"by": manager_of(process), "process": process, "title": "Raati", "description": "x"}
    with pytest.raises(ValidationError) as error:
        services.panel_create(
            **base, seats=5, registration_closes_at=timezone.now() - timedelta(days=1)
        )
    assert "registration_closes_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.panel_create(
            **base,
            seats=5,
            registration_closes_at=timezone.now() + timedelta(days=1),
            stratify_by=["income"],
        )
    assert "stratify_by" in error.value.message_dict
    assert not CitizensPanel.objects.exists()


def test_a_panel_of_an_unpublished_process_cannot_be_published():
    panel = PanelFactory(draft=True, process__published_at=None)
    with pytest.raises(ValidationError, match="Publish the process first"):
        services.panel_publish(panel=panel)
    panel.process.published_at = timezone.now()
    panel.process.save()
    assert services.panel_publish(panel=panel).state == PanelState.OPEN


def test_what_the_draw_reads_is_fixed_once_the_panel_is_drawn():
    panel = PanelFactory()
    with pytest.raises(ValidationError) as error:
        services.panel_update(panel=panel, stratify_by=[Trait.GENDER])
    assert "stratify_by" in error.value.message_dict
    services.panel_update(panel=panel, seats=6, title="Uusi nimi")
    panel, _manager = drawn_panel()
    with pytest.raises(ValidationError) as error:
        services.panel_update(panel=panel, seats=9)
    assert "seats" in error.value.message_dict
    # Unchanged values and the texts pass.
    assert services.panel_update(panel=panel, seats=panel.seats, title="Korjattu").title


# --- Drawing --------------------------------------------------------------------------------


def test_the_draw_follows_draw_py_on_the_published_list_and_stores_who_is_drawn():
    panel, _manager = drawn_panel()
    published = selectors.published_rows(panel)
    people = [
        draw.Volunteer(row["code"], f"{row['age_band']}|{row['language']}") for row in published
    ]
    expected = draw.draw("kuopio-2025", people, 4)
    drawn = set(
        panel.volunteers.filter(status=VolunteerStatus.DRAWN).values_list("code", flat=True)
    )
    assert drawn == set(expected.members)
    assert panel.volunteers.filter(status=VolunteerStatus.RESERVE).count() == 16 - 4
    assert panel.state == PanelState.DRAWN and panel.drawn_at and panel.drawn_by
    first = panel.volunteers.get(code=expected.strata[0].order[0])
    assert first.position == 1


def test_without_a_typed_seed_the_site_makes_a_random_one_at_the_draw():
    panel = PanelFactory(closed=True)
    volunteers(panel, {("25-44", "fi"): 3})
    drawn = services.panel_draw(panel=panel, by=manager_of(panel.process))
    assert re.fullmatch(r"[0-9a-f]{32}", drawn.seed)


def test_an_announced_seed_plan_needs_the_seed_typed():
    panel = PanelFactory(closed=True, seed_plan="Lotto 14.6.2025, päänumerot")
    volunteers(panel, {("25-44", "fi"): 3})
    with pytest.raises(ValidationError) as error:
        services.panel_draw(panel=panel, by=manager_of(panel.process))
    assert "Lotto 14.6.2025" in error.value.message_dict["seed"][0]


def test_the_draw_waits_for_the_published_list_and_is_never_redone():
    panel = PanelFactory()
    volunteers(panel, {("25-44", "fi"): 3})
    manager = manager_of(panel.process)
    with pytest.raises(ValidationError, match="Close registration first"):
        services.panel_draw(panel=panel, by=manager, seed="a")
    services.panel_close(panel=panel)
    services.panel_draw(panel=panel, by=manager, seed="a")
    with pytest.raises(ValidationError, match="never redone"):
        services.panel_draw(panel=panel, by=manager, seed="b")
    panel.refresh_from_db()
    assert panel.seed == "a"


def test_an_empty_list_is_not_drawn():
    panel = PanelFactory(closed=True)
    with pytest.raises(ValidationError, match="Nobody has volunteered"):
        services.panel_draw(panel=panel, by=manager_of(panel.process), seed="a")


# --- Invitations and answers ------------------------------------------------------------


def test_invitations_go_to_each_member_in_their_own_language_with_a_deadline(
    mailoutbox, django_capture_on_commit_callbacks
):
    panel, _manager = drawn_panel()
    members = list(panel.volunteers.filter(status=VolunteerStatus.DRAWN).select_related("user"))
    swedish = members[0].user
    swedish.language = "sv"
    swedish.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(panel=panel) == 4
    assert len(mailoutbox) == 4
    by_address = {message.to[0]: message for message in mailoutbox}
    sv = by_address[swedish.email]
    assert panel.title_sv in sv.subject and "/sv/panels/" in sv.body
    assert "Tacka ja eller nej" in sv.body
    fi = by_address[members[1].user.email]
    assert panel.title in fi.subject and "/fi/panels/" in fi.body
    assert members[1].code in fi.body
    invited = panel.volunteers.get(pk=members[1].pk)
    assert invited.status == VolunteerStatus.INVITED
    assert invited.answer_by - invited.invited_at == timedelta(days=panel.answer_days)
    with pytest.raises(ValidationError, match="already"):
        services.invitations_send(panel=panel)


def test_accepting_makes_a_member():
    panel, _manager = invited_panel()
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    services.invitation_answer(volunteer=member, user=member.user, accept=True)
    member.refresh_from_db()
    assert member.status == VolunteerStatus.ACCEPTED and member.answered_at


def test_a_decline_draws_and_invites_the_next_reserve_of_the_same_stratum(
    mailoutbox, django_capture_on_commit_callbacks
):
    panel, _manager = invited_panel()
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_answer(volunteer=member, user=member.user, accept=False)
    replacement = Replacement.objects.get(panel=panel)
    assert replacement.left == member and replacement.reason == LeaveReason.DECLINED
    drawn = replacement.drawn
    assert (drawn.age_band, drawn.language) == (member.age_band, member.language)
    assert drawn.status == VolunteerStatus.INVITED
    # The next one on that stratum's reserve list, by lot order.
    reserves = panel.volunteers.filter(
        age_band=member.age_band, language=member.language, status=VolunteerStatus.RESERVE
    )
    assert all(drawn.position < other.position for other in reserves)
    assert [message.to for message in mailoutbox] == [[drawn.user.email]]
    member.refresh_from_db()
    assert member.status == VolunteerStatus.DECLINED


def test_a_member_may_give_the_seat_up_after_accepting_and_it_is_filled():
    panel, _manager = invited_panel()
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    services.invitation_answer(volunteer=member, user=member.user, accept=True)
    services.invitation_answer(volunteer=member, user=member.user, accept=False)
    assert Replacement.objects.get(panel=panel).drawn.status == VolunteerStatus.INVITED


def test_nobody_answers_someone_else_s_invitation_or_one_that_is_over():
    panel, _manager = invited_panel()
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    with pytest.raises(ValidationError, match="not yours"):
        services.invitation_answer(volunteer=member, user=UserFactory(), accept=True)
    services.invitation_answer(volunteer=member, user=member.user, accept=False)
    with pytest.raises(ValidationError, match="no longer open"):
        services.invitation_answer(volunteer=member, user=member.user, accept=True)


def test_a_seat_without_an_answer_goes_on_only_after_the_deadline():
    panel, _manager = invited_panel()
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    with pytest.raises(ValidationError, match="until"):
        services.member_mark_no_answer(volunteer=member)
    Volunteer.objects.filter(pk=member.pk).update(answer_by=timezone.now() - timedelta(hours=1))
    replacement = services.member_mark_no_answer(volunteer=member)
    assert replacement.reason == LeaveReason.NO_ANSWER
    assert replacement.drawn.age_band == member.age_band


def test_when_a_stratum_s_reserve_runs_out_the_seat_moves_as_the_draw_rules_say():
    # Shares of 3 seats: 2.4 and 0.6. The one 65+ volunteer is drawn, declines, and the seat
    # moves to the only stratum with a reserve left.
    groups = {("25-44", "fi"): 4, ("65+", "sv"): 1}
    panel, _manager = invited_panel(groups=groups, seats=3)
    lone = panel.volunteers.get(age_band="65+")
    assert lone.status == VolunteerStatus.INVITED
    services.invitation_answer(volunteer=lone, user=lone.user, accept=False)
    replacement = Replacement.objects.get(panel=panel)
    assert replacement.drawn.age_band == "25-44"
    published = selectors.published_draw(panel)
    assert published.history[0].same_stratum is False


def test_a_drawn_person_whose_account_is_gone_is_replaced_when_the_invitations_go(
    mailoutbox, django_capture_on_commit_callbacks
):
    panel, _manager = drawn_panel()
    gone = panel.volunteers.filter(status=VolunteerStatus.DRAWN).first()
    user_erase(user=gone.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(panel=panel) == 4  # three members and a replacement
    gone.refresh_from_db()
    assert gone.status == VolunteerStatus.UNREACHABLE and gone.user is None
    assert Replacement.objects.get(panel=panel).reason == LeaveReason.UNREACHABLE
    assert len(mailoutbox) == 4


# --- Personal data --------------------------------------------------------------------------


def test_the_export_holds_the_registration():
    panel = PanelFactory()
    person = resident_of(panel.process)
    volunteer = register(panel, person, age_band="65+")
    rows = privacy.collect(person)["panels.volunteer"]
    assert rows[0]["code"] == volunteer.code and rows[0]["age_band"] == "65+"


def test_erasure_before_the_list_is_published_removes_the_registration():
    panel = PanelFactory()
    person = resident_of(panel.process)
    register(panel, person)
    user_erase(user=person)
    assert not Volunteer.objects.exists()


def test_erasure_after_the_draw_leaves_the_published_draw_as_it_was():
    panel, _manager = invited_panel()
    before = selectors.published_draw(panel)
    csv_before = selectors.published_rows(panel)
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    user_erase(user=member.user)
    member.refresh_from_db()
    assert member.user is None and member.code
    after = selectors.published_draw(panel)
    assert selectors.published_rows(panel) == csv_before
    assert after.result == before.result
    assert [m.code for m in after.members] == [m.code for m in before.members]
