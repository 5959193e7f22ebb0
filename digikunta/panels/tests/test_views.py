"""The pages: volunteering, running the panel, the published draw and re-running it, and the
member's invitation."""

import csv
import io
import json
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from digikunta.accounts.tests.factories import UserFactory
from digikunta.panels import draw, services
from digikunta.panels.models import (
    CitizensPanel,
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
from digikunta.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db

GROUPS = {("15-24", "fi"): 3, ("25-44", "fi"): 5, ("45-64", "sv"): 4, ("65+", "fi"): 4}


def drawn_panel(seed="kuopio-2025", seats=4):
    panel = PanelFactory(closed=True, seats=seats)
    volunteers(panel, GROUPS)
    manager = manager_of(panel.process)
    return services.panel_draw(panel=panel, by=manager, seed=seed), manager


# --- The panel's page and volunteering --------------------------------------------------


def test_the_panel_page_tells_what_is_asked_and_why(client):
    panel = PanelFactory(stratify_by=[Trait.AGE_BAND, Trait.AREA, Trait.GENDER])
    person = resident_of(panel.process)
    client.force_login(person)
    html = client.get(f"/en/panels/{panel.pk}/").content.decode()
    assert "never your name or e-mail address" in html
    assert 'name="age_band"' in html and 'name="area"' in html and 'name="gender"' in html
    assert 'name="language"' not in html  # not a trait of this panel: not asked
    assert "Kuopio" in html


def test_anonymous_visitors_see_a_published_panel_and_are_asked_to_log_in(client):
    panel = PanelFactory()
    response = client.get(f"/fi/panels/{panel.pk}/")
    assert response.status_code == 200
    assert f"/fi/account/login/?next=/fi/panels/{panel.pk}/" in response.content.decode()


def test_a_draft_panel_is_a_404_to_others_and_shown_to_those_who_run_the_process(client):
    panel = PanelFactory(draft=True)
    client.force_login(UserFactory())
    assert client.get(f"/fi/panels/{panel.pk}/").status_code == 404
    client.force_login(manager_of(panel.process))
    assert client.get(f"/fi/panels/{panel.pk}/").status_code == 200


def test_volunteering_puts_the_person_on_the_list_and_shows_their_code(client):
    panel = PanelFactory()
    person = resident_of(panel.process)
    client.force_login(person)
    response = client.post(
        f"/en/panels/{panel.pk}/register/",
        {"age_band": "45-64", "language": "sv", "consent_contact": "on"},
        follow=True,
    )
    volunteer = Volunteer.objects.get(panel=panel, user=person)
    assert volunteer.age_band == "45-64"
    assert f"with the code {volunteer.code}" in response.content.decode()
    assert "Withdraw my registration" in response.content.decode()


def test_a_bad_age_band_answers_422_with_the_message_by_the_field_keeping_what_was_typed(client):
    panel = PanelFactory()
    client.force_login(resident_of(panel.process))
    response = client.post(
        f"/en/panels/{panel.pk}/register/",
        {"age_band": "10-14", "language": "sv", "consent_contact": "on"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose your age band." in html and 'href="#id_age_band"' in html
    assert re.search(r'value="sv"[^>]* checked', html)
    assert not Volunteer.objects.exists()


def test_a_municipality_outside_the_area_answers_422(client):
    panel = PanelFactory(stratify_by=[Trait.AREA])
    client.force_login(resident_of(panel.process))
    response = client.post(
        f"/en/panels/{panel.pk}/register/", {"area": "091", "consent_contact": "on"}
    )
    assert response.status_code == 422
    assert "Choose the municipality you live in." in response.content.decode()
    response = client.post(
        f"/en/panels/{panel.pk}/register/", {"area": kuopio().pk, "consent_contact": "on"}
    )
    assert response.status_code == 302


def test_someone_not_in_the_area_is_told_to_declare_first_and_answered_422(client):
    panel = PanelFactory()
    client.force_login(UserFactory())
    page = client.get(f"/en/panels/{panel.pk}/").content.decode()
    assert "declare it first on the process page" in page
    response = client.post(
        f"/en/panels/{panel.pk}/register/",
        {"age_band": "45-64", "language": "fi", "consent_contact": "on"},
    )
    assert response.status_code == 422
    assert "declare it first" in response.content.decode()


def test_a_second_registration_is_refused_with_422(client):
    panel = PanelFactory()
    person = resident_of(panel.process)
    client.force_login(person)
    data = {"age_band": "45-64", "language": "fi", "consent_contact": "on"}
    client.post(f"/en/panels/{panel.pk}/register/", data)
    response = client.post(f"/en/panels/{panel.pk}/register/", data)
    assert response.status_code == 422
    assert Volunteer.objects.filter(user=person).count() == 1


def test_htmx_gets_the_registration_fragment_only(client):
    panel = PanelFactory()
    client.force_login(resident_of(panel.process))
    response = client.post(
        f"/en/panels/{panel.pk}/register/", {"age_band": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="registration">') and "<h1" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_registering_needs_a_login_and_a_post(client):
    panel = PanelFactory()
    response = client.post(f"/en/panels/{panel.pk}/register/", {})
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(resident_of(panel.process))
    assert client.get(f"/en/panels/{panel.pk}/register/").status_code == 405


def test_withdrawing_takes_the_person_off_the_list(client):
    panel = PanelFactory()
    person = resident_of(panel.process)
    services.volunteer_register(
        panel=panel, user=person, age_band="65+", language="fi", consent_contact=True
    )
    client.force_login(person)
    response = client.post(f"/en/panels/{panel.pk}/withdraw/", follow=True)
    assert "no longer on the list" in response.content.decode()
    assert not Volunteer.objects.exists()


# --- Running the panel ------------------------------------------------------------------


def test_those_who_run_the_process_set_up_a_panel_and_a_bad_form_keeps_what_was_typed(client):
    process = ProcessFactory()
    client.force_login(manager_of(process))
    data = {
        "title": "Kuopion kuntaraati 2025",
        "description": "Neljä iltaa kirjastolla.",
        "seats": "0",
        "stratify_by": ["age_band", "language"],
        "registration_closes_at": (timezone.localtime() + timedelta(days=20)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "answer_days": "14",
    }
    response = client.post(f"/en/panels/new/{process.slug}/", data)
    assert response.status_code == 422
    assert 'value="Kuopion kuntaraati 2025"' in response.content.decode()
    assert not CitizensPanel.objects.exists()
    response = client.post(f"/en/panels/new/{process.slug}/", data | {"seats": "24"})
    panel = CitizensPanel.objects.get()
    assert response["Location"] == f"/en/panels/{panel.pk}/manage/"
    assert panel.state == PanelState.DRAFT and panel.seats == 24


def test_a_resident_cannot_set_up_or_run_a_panel(client):
    panel = PanelFactory()
    client.force_login(resident_of(panel.process))
    assert client.get(f"/en/panels/new/{panel.process.slug}/").status_code == 403
    assert client.get(f"/en/panels/{panel.pk}/manage/").status_code == 403
    assert client.post(f"/en/panels/{panel.pk}/close/").status_code == 403
    assert client.post(f"/en/panels/{panel.pk}/draw/run/", {"seed": "x"}).status_code == 403
    panel.refresh_from_db()
    assert panel.state == PanelState.OPEN


def test_the_manager_closes_registration_then_draws_with_a_typed_seed(client):
    panel = PanelFactory()
    volunteers(panel, GROUPS)
    client.force_login(manager_of(panel.process))
    response = client.post(f"/en/panels/{panel.pk}/close/", follow=True)
    assert "list of volunteers is published" in response.content.decode()
    response = client.post(f"/en/panels/{panel.pk}/draw/run/", {"seed": "Lotto 3 8 14"})
    assert response["Location"] == f"/en/panels/{panel.pk}/draw/"
    panel.refresh_from_db()
    assert panel.seed == "Lotto 3 8 14" and panel.state == PanelState.DRAWN


def test_a_draw_with_a_seed_too_long_answers_422_and_draws_nothing(client):
    panel = PanelFactory(closed=True)
    volunteers(panel, GROUPS)
    client.force_login(manager_of(panel.process))
    response = client.post(f"/en/panels/{panel.pk}/draw/run/", {"seed": "x" * 201})
    assert response.status_code == 422
    assert "at most 200 characters" in response.content.decode()
    panel.refresh_from_db()
    assert panel.state == PanelState.CLOSED and not panel.seed


def test_the_manager_invites_and_sees_names_only_of_those_drawn(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    panel, manager = drawn_panel()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/panels/{panel.pk}/invite/", follow=True)
    assert "4 invitations are on their way" in response.content.decode()
    assert len(mailoutbox) == 4
    html = response.content.decode()
    invited = panel.volunteers.filter(status=VolunteerStatus.INVITED).select_related("user")
    reserve = panel.volunteers.filter(status=VolunteerStatus.RESERVE).select_related("user")
    assert all(row.user.email in html for row in invited)
    assert not any(row.user.name in html for row in reserve)


def test_after_the_deadline_the_manager_gives_a_seat_on(client):
    panel, manager = drawn_panel()
    services.invitations_send(panel=panel)
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    client.force_login(manager)
    url = f"/en/panels/{panel.pk}/members/{member.pk}/no-answer/"
    response = client.post(url, follow=True)
    assert "has until" in response.content.decode()
    Volunteer.objects.filter(pk=member.pk).update(answer_by=timezone.now() - timedelta(days=1))
    response = client.post(url, follow=True)
    assert f"{member.code} did not answer; the seat went to the next" in response.content.decode()
    assert Replacement.objects.get().left == member


def test_after_the_draw_only_the_texts_can_be_edited(client):
    panel, manager = drawn_panel()
    client.force_login(manager)
    page = client.get(f"/en/panels/{panel.pk}/edit/").content.decode()
    assert re.search(r'name="seats"[^>]* disabled', page)
    data = {
        "title": "Kuopion kuntaraati, korjattu",
        "description": "Uusi kuvaus.",
        "seats": "99",  # ignored: the field is fixed
        "answer_days": "10",
    }
    response = client.post(f"/en/panels/{panel.pk}/edit/", data)
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.title == "Kuopion kuntaraati, korjattu" and panel.seats == 4
    assert panel.answer_days == 10 and "Uusi kuvaus." in panel.description_html


# --- The published draw -----------------------------------------------------------------


def test_the_draw_page_publishes_seed_quotas_members_and_no_names(client):
    panel, _manager = drawn_panel()
    services.invitations_send(panel=panel)
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).first()
    services.invitation_answer(volunteer=member, user=member.user, accept=False)
    replacement = Replacement.objects.get()
    html = client.get(f"/en/panels/{panel.pk}/draw/").content.decode()
    assert "kuopio-2025" in html
    assert "45–64 years, Swedish" in html
    for code in panel.volunteers.exclude(status=VolunteerStatus.RESERVE).values_list(
        "code", flat=True
    ):
        assert code in html
    assert f"{member.code} declined." in html
    assert f"{replacement.drawn.code} from the same group was drawn." in html
    assert f"--left {member.code}" in html
    for user in UserFactory._meta.model.objects.filter(panel_volunteers__panel=panel):
        assert user.name not in html and user.email not in html


def test_the_draw_page_answers_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    for count in (2, 20):
        panel = PanelFactory(closed=True, seats=2)
        volunteers(panel, {("25-44", "fi"): count})
        services.panel_draw(panel=panel, by=manager_of(panel.process), seed="s")
        with django_assert_num_queries(3):
            assert client.get(f"/fi/panels/{panel.pk}/draw/").status_code == 200


def test_the_list_is_published_as_csv_once_registration_has_closed(client):
    panel = PanelFactory(stratify_by=[Trait.AGE_BAND, Trait.AREA])
    person = resident_of(panel.process)
    services.volunteer_register(
        panel=panel, user=person, age_band="65+", area=kuopio(), consent_contact=True
    )
    assert client.get(f"/en/panels/{panel.pk}/volunteers.csv").status_code == 404
    services.panel_close(panel=panel)
    response = client.get(f"/en/panels/{panel.pk}/volunteers.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    code = Volunteer.objects.get().code
    assert rows == [["code", "age_band", "area"], [code, "65+", "297"]]
    assert person.email not in text and person.name not in text


def test_the_verification_script_reproduces_the_site_s_draw_from_the_published_csv(
    client, tmp_path
):
    panel, _manager = drawn_panel(seed="Lotto 14.6.2025: 3 8 14 22 27 31 36")
    services.invitations_send(panel=panel)
    for _ in range(2):  # two declines, the second possibly a replacement's
        member = panel.volunteers.filter(status=VolunteerStatus.INVITED).order_by("code").first()
        services.invitation_answer(volunteer=member, user=member.user, accept=False)
    csv_file = tmp_path / "volunteers.csv"
    response = client.get(f"/en/panels/{panel.pk}/volunteers.csv")
    csv_file.write_bytes(b"".join(response.streaming_content))
    script = tmp_path / "draw.py"
    script.write_bytes(client.get("/en/panels/draw.py").content)
    left = ",".join(Replacement.objects.order_by("number").values_list("left__code", flat=True))
    out = subprocess.run(
        [sys.executable, "-I", str(script), "--seed", panel.seed, "--seats", str(panel.seats)]
        + ["--volunteers", str(csv_file), "--left", left, "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out)
    seated = panel.volunteers.filter(status__in=["invited", "accepted", "drawn"])
    assert sorted(result["seated"]) == sorted(seated.values_list("code", flat=True))
    assert [r["drawn"] for r in result["replacements"]] == list(
        Replacement.objects.order_by("number").values_list("drawn__code", flat=True)
    )


def test_re_running_with_the_same_seed_gives_the_same_members_and_another_seed_others(client):
    panel, _manager = drawn_panel()
    url = f"/en/panels/{panel.pk}/draw/verify/"
    same = client.get(url, {"seed": "kuopio-2025", "seats": 4}).content.decode()
    assert "The same members as in the published draw." in same
    drawn = panel.volunteers.filter(status=VolunteerStatus.DRAWN).values_list("code", flat=True)
    assert all(code in same for code in drawn)
    other = client.get(url, {"seed": "another", "seats": 4}).content.decode()
    assert "Not the same members" in other
    response = client.get(url, {"seed": "", "seats": 0})
    assert response.status_code == 400
    assert "Type the seed to draw with." in response.content.decode()


def test_draw_py_is_served_as_the_file_the_site_draws_with(client):
    response = client.get("/fi/panels/draw.py")
    assert response.content == Path(draw.__file__).read_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="draw.py"'


# --- The invitation ---------------------------------------------------------------------


def test_a_member_accepts_on_their_invitation_page(client):
    panel, _manager = drawn_panel()
    services.invitations_send(panel=panel)
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).select_related("user").first()
    client.force_login(member.user)
    page = client.get(f"/en/panels/{panel.pk}/invitation/").content.decode()
    assert member.code in page and "Accept the seat" in page
    response = client.post(
        f"/en/panels/{panel.pk}/invitation/answer/", {"answer": "accept"}, follow=True
    )
    assert "you accepted your seat" in response.content.decode()
    member.refresh_from_db()
    assert member.status == VolunteerStatus.ACCEPTED


def test_a_member_declines_and_the_reserve_is_invited(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    panel, _manager = drawn_panel()
    services.invitations_send(panel=panel)
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).select_related("user").first()
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/panels/{panel.pk}/invitation/answer/", {"answer": "decline"})
    assert response.status_code == 302
    drawn = Replacement.objects.get().drawn
    assert mailoutbox[-1].to == [drawn.user.email]


def test_an_answer_without_a_choice_answers_422(client):
    panel, _manager = drawn_panel()
    services.invitations_send(panel=panel)
    member = panel.volunteers.filter(status=VolunteerStatus.INVITED).select_related("user").first()
    client.force_login(member.user)
    response = client.post(f"/en/panels/{panel.pk}/invitation/answer/", {"answer": "maybe"})
    assert response.status_code == 422
    assert "Choose whether to accept or decline the seat." in response.content.decode()
    member.refresh_from_db()
    assert member.status == VolunteerStatus.INVITED


def test_nobody_sees_an_invitation_that_is_not_theirs(client):
    panel, _manager = drawn_panel()
    services.invitations_send(panel=panel)
    reserve = panel.volunteers.filter(status=VolunteerStatus.RESERVE).select_related("user").first()
    client.force_login(reserve.user)
    assert client.get(f"/en/panels/{panel.pk}/invitation/").status_code == 404
    assert (
        client.post(f"/en/panels/{panel.pk}/invitation/answer/", {"answer": "accept"}).status_code
        == 404
    )
