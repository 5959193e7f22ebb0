"""Following, notifications in each person's language, and the 6/12-month follow-ups."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments import services
from digikunta.experiments.models import Follow, FollowUp, Measurement
from digikunta.experiments.tests.factories import (
    ExperimentFactory,
    IndicatorFactory,
    TeamMemberFactory,
)
from digikunta.notifications.models import Frequency, Notification, Preference
from digikunta.notifications.services import digest_batch_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(member, organisation):
    experiment = ExperimentFactory(owner=organisation, status="running")
    experiment.municipalities.add("905")
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


def end(experiment, by):
    services.experiment_transition(
        experiment=experiment, to="ended", by=by, results="Toimii.", outcome="succeeded"
    )


def test_followers_hear_of_a_new_stage_in_their_own_language(
    client, running, member, django_capture_on_commit_callbacks
):
    swede = UserFactory(language="sv")
    finn = UserFactory(language="fi")
    client.force_login(swede)
    assert (
        client.post(f"/sv/experiments/{running.slug}/follow/", {"follow": "1"}).status_code == 302
    )
    services.follow_set(user=finn, municipality=running.municipalities.get(), following=True)
    services.follow_set(user=member, experiment=running, following=True)  # the actor
    with django_capture_on_commit_callbacks(execute=True):
        end(running, member)
    recipients = {message.to[0]: message for message in mail.outbox}
    assert set(recipients) == {swede.email, finn.email}
    assert "avslutad" in recipients[swede.email].subject
    assert "päättynyt" in recipients[finn.email].subject
    assert "Toimii." in recipients[finn.email].body
    assert f"/fi/experiments/{running.slug}/" in recipients[finn.email].body


def test_unfollowing_stops_the_mail(client, running, member, django_capture_on_commit_callbacks):
    reader = UserFactory()
    client.force_login(reader)
    client.post(f"/fi/experiments/{running.slug}/follow/", {"follow": "1"})
    client.post(f"/fi/experiments/{running.slug}/follow/", {"follow": "0"})
    assert not Follow.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        end(running, member)
    assert mail.outbox == []


def test_ending_schedules_questions_at_six_and_twelve_months(running, member):
    end(running, member)
    follow_ups = list(running.follow_ups.values_list("months", flat=True))
    assert follow_ups == [6, 12]
    six = running.follow_ups.get(months=6)
    assert 180 <= (six.due_on - timezone.localdate()).days <= 185


def test_due_questions_are_sent_once_to_the_lead(
    running, member, django_capture_on_commit_callbacks
):
    end(running, member)
    out = io.StringIO()
    call_command("send_follow_ups", stdout=out)
    assert "Sent 0" in out.getvalue()  # nothing due yet
    FollowUp.objects.filter(months=6).update(due_on=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):  # queued as tasks on commit
        call_command("send_follow_ups", stdout=out)
        call_command("send_follow_ups", stdout=out)  # a second run sends nothing twice
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "/follow-up/" in mail.outbox[0].body


def test_the_lead_answers_and_the_answer_shows_on_the_page(client, running, member):
    indicator = IndicatorFactory(experiment=running)
    end(running, member)
    follow_up = running.follow_ups.get(months=6)
    client.force_login(member)
    url = f"/fi/experiments/{running.slug}/follow-up/{follow_up.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "lasted": "yes",
            "note": "Käytössä kaikissa kirjastoissa.",
            f"indicator_{indicator.pk}": "61,5",
        },
    )
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator).value == 61.5
    html = client.get(running.get_absolute_url()).content.decode()
    assert "Käytössä kaikissa kirjastoissa." in html


def test_a_follow_up_answer_needs_a_choice(client, running, member):
    end(running, member)
    follow_up = running.follow_ups.get(months=6)
    client.force_login(member)
    response = client.post(
        f"/fi/experiments/{running.slug}/follow-up/{follow_up.pk}/", {"note": "x"}
    )
    assert response.status_code == 422
    follow_up.refresh_from_db()
    assert follow_up.answered_at is None


def test_outsiders_cannot_answer(client, running, member, outsider):
    end(running, member)
    follow_up = running.follow_ups.get(months=6)
    client.force_login(outsider)
    assert (
        client.post(
            f"/fi/experiments/{running.slug}/follow-up/{follow_up.pk}/", {"lasted": "no"}
        ).status_code
        == 403
    )


def test_following_a_municipality_from_its_page(client, resident):
    client.force_login(resident)
    response = client.post("/fi/municipalities/905/follow/", {"follow": "1"})
    assert response.status_code == 302
    assert Follow.objects.get(user=resident).municipality_id == "905"
    assert "Lopeta seuraaminen" in client.get("/fi/municipalities/905/").content.decode()


def test_members_only_experiments_are_never_mailed_to_outsiders(
    organisation, member, django_capture_on_commit_callbacks
):
    hidden = ExperimentFactory(owner=organisation, status="running", visibility="members")
    hidden.municipalities.add("905")
    TeamMemberFactory(experiment=hidden, user=member)
    outsider = UserFactory()
    services.follow_set(user=outsider, municipality=hidden.municipalities.get(), following=True)
    with django_capture_on_commit_callbacks(execute=True):
        end(hidden, member)
    assert mail.outbox == []


def test_the_link_is_in_the_recipients_language(
    running, member, django_capture_on_commit_callbacks
):
    swede = UserFactory(language="sv")
    services.follow_set(user=swede, experiment=running, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        end(running, member)
    assert f"/sv/experiments/{running.slug}/" in mail.outbox[0].body


def test_a_follower_who_turned_the_kind_off_hears_nothing(
    running, member, django_capture_on_commit_callbacks
):
    quiet, keen = UserFactory(), UserFactory()
    for user in (quiet, keen):
        services.follow_set(user=user, experiment=running, following=True)
    Preference.objects.create(user=quiet, kind="experiment_updates", frequency=Frequency.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        end(running, member)
    assert [message.to for message in mail.outbox] == [[keen.email]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert not Notification.objects.exists()


def test_a_follower_who_chose_the_digest_gets_the_stage_change_in_it(
    running, member, django_capture_on_commit_callbacks
):
    swede = UserFactory(language="sv")
    services.follow_set(user=swede, experiment=running, following=True)
    Preference.objects.create(user=swede, kind="experiment_updates", frequency=Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        end(running, member)
    assert mail.outbox == []
    assert Notification.objects.get(user=swede).params["stage"] == "ended"
    with django_capture_on_commit_callbacks(execute=True):
        digest_batch_send(user_ids=[swede.pk])
    [digest] = mail.outbox
    assert digest.subject == "Digikunta: 1 ny avisering"
    assert f"- ”{running.title}” är nu i skedet: avslutad" in digest.body
    assert f"/sv/experiments/{running.slug}/" in digest.body


def test_a_lead_who_turned_follow_up_questions_off_is_not_asked(
    running, member, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=member, kind="experiment_follow_up", frequency=Frequency.OFF)
    end(running, member)
    FollowUp.objects.filter(months=6).update(due_on=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_follow_ups", stdout=io.StringIO())
    assert mail.outbox == []
    assert FollowUp.objects.get(months=6).sent_at is not None  # claimed: not asked again
