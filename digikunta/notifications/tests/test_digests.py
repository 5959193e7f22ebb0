"""Daily digests: one scheduler, one task per batch of people, one e-mail per person, each item
once however often a batch is run."""

import io
import math
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from digikunta.accounts.models import User
from digikunta.accounts.tests.factories import UserFactory
from digikunta.notifications import services, tasks
from digikunta.notifications.models import Frequency, Notification, Preference
from digikunta.notifications.tests.conftest import send

pytestmark = pytest.mark.django_db


def daily(*people, kinds=("test_news", "test_quiet")):
    Preference.objects.bulk_create(
        [Preference(user=p, kind=kind, frequency=Frequency.DAILY) for p in people for kind in kinds]
    )


def pending(user, count=1, kind="test_news"):
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                template="testnews/posted",
                params={"title": f"Kokeilu {n}"},
                link=["notifications:settings", []],
            )
            for n in range(count)
        ]
    )


def test_a_digest_lists_each_item_by_kind_in_the_persons_language(
    news, django_capture_on_commit_callbacks
):
    swede = UserFactory(language="sv")
    daily(swede)
    send([swede.pk], title="Bibliotek")
    send([swede.pk], kind="test_quiet", title="Skola")
    send([swede.pk], title="Hälsa")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_batch_send(user_ids=[swede.pk]) == 1
    [digest] = mail.outbox
    assert digest.to == [swede.email]
    assert digest.subject == "Digikunta: 3 nya aviseringar"
    body = digest.body
    # Grouped by kind, in the order registered; each item's subject line without the brand.
    assert body.index("Test news") < body.index("Bibliotek (Resultat)") < body.index("Hälsa")
    assert body.index("Hälsa") < body.index("Quiet test news") < body.index("Skola")
    assert "Digikunta: Bibliotek" not in body
    assert body.count("/sv/account/notifications/") >= 3
    assert "/sv/notifications/unsubscribe/" in digest.extra_headers["List-Unsubscribe"]
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(digested_at__isnull=True).exists()


def test_a_batch_run_again_sends_nothing_twice(news, resident, django_capture_on_commit_callbacks):
    daily(resident)
    send([resident.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_batch_send(user_ids=[resident.pk]) == 1
        assert services.digest_batch_send(user_ids=[resident.pk]) == 0  # a retry
    assert len(mail.outbox) == 1
    send([resident.pk])  # something new: the next digest has only that
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_batch_send(user_ids=[resident.pk]) == 1
    assert mail.outbox[1].subject == "Digikunta: 1 uusi ilmoitus"


def test_a_failed_batch_sends_nothing_and_leaves_the_items_for_its_retry(
    news, resident, monkeypatch, django_capture_on_commit_callbacks
):
    daily(resident)
    send([resident.pk])

    def broken(messages):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(services, "enqueue_messages", broken)
    with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        services.digest_batch_send(user_ids=[resident.pk])
    assert mail.outbox == []
    assert Notification.objects.get().digested_at is None
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_batch_send(user_ids=[resident.pk]) == 1
    assert len(mail.outbox) == 1


def test_items_of_a_kind_turned_off_since_and_inactive_people_get_no_digest(
    news, resident, outsider, django_capture_on_commit_callbacks
):
    daily(resident, outsider)
    send([resident.pk, outsider.pk])
    Preference.objects.filter(user=resident).update(frequency=Frequency.OFF)
    User.objects.filter(pk=outsider.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_batch_send(user_ids=[resident.pk, outsider.pk]) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(digested_at__isnull=True).exists()


@pytest.mark.parametrize("people", [2, 20])
def test_a_batchs_queries_do_not_grow_with_its_size(
    news, people, queued_tasks, django_assert_num_queries
):
    users = [UserFactory() for _ in range(people)]
    daily(*users)
    for user in users:
        pending(user, count=3)
        pending(user, kind="test_quiet")
    ids = [user.pk for user in users]
    # Savepoint, the items (FOR UPDATE), the people, their choices, one INSERT of the send
    # tasks, one UPDATE marking the items, release.
    with django_assert_num_queries(7):
        assert services.digest_batch_send(user_ids=ids) == people
    assert DBTaskResult.objects.filter(task_path__endswith=".send_email").count() == people


def test_two_thousand_people_make_four_batch_tasks(news, queued_tasks):
    users = User.objects.bulk_create(
        [User(email=f"digest{n}@example.fi", language="fi") for n in range(2000)]
    )
    Notification.objects.bulk_create(
        [
            Notification(user=user, kind="test_news", template="testnews/posted", params={})
            for user in users
            for _twice in range(2)
        ]
    )
    assert tasks.digests_queue() == math.ceil(2000 / tasks.DIGEST_BATCH) == 4
    batches = DBTaskResult.objects.filter(task_path__endswith=".send_digest_batch")
    assert batches.count() == 4
    queued = sorted(
        user_id for batch in batches for user_id in batch.args_kwargs["kwargs"]["user_ids"]
    )
    assert queued == sorted(user.pk for user in users)  # everyone once, in one batch each
    assert {len(batch.args_kwargs["kwargs"]["user_ids"]) for batch in batches} == {500}


def test_the_scheduler_queues_nothing_without_pending_items_and_purges_old_ones(
    news, resident, queued_tasks, settings
):
    pending(resident)
    long_ago = timezone.now() - timedelta(days=settings.NOTIFICATION_RETENTION_DAYS + 1)
    Notification.objects.update(digested_at=long_ago)
    pending(resident)
    Notification.objects.filter(digested_at__isnull=True).update(digested_at=timezone.now())
    assert tasks.digests_queue() == 0
    assert Notification.objects.count() == 1  # the one digested today stays for now
    assert not DBTaskResult.objects.exists()


def test_the_command_and_the_tasks_send_the_digests(
    news, resident, outsider, django_capture_on_commit_callbacks
):
    daily(resident, outsider)
    send([resident.pk, outsider.pk])
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=out)
    assert "Queued 1 digest batches." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([resident.email, outsider.email])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=out)  # a second run: nothing left
    assert len(mail.outbox) == 2


def test_digests_are_among_the_daily_jobs(settings):
    assert "digikunta.notifications.tasks.send_digests" in settings.DAILY_TASKS


def test_an_item_whose_template_is_gone_does_not_hold_up_the_digest(
    news, resident, django_capture_on_commit_callbacks
):
    daily(resident)
    send([resident.pk], title="Kirjasto")
    Notification.objects.create(user=resident, kind="test_news", template="gone/removed")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_batch_send(user_ids=[resident.pk]) == 1
    [digest] = mail.outbox
    assert digest.subject == "Digikunta: 1 uusi ilmoitus"
    assert "Kirjasto" in digest.body
    assert not Notification.objects.filter(digested_at__isnull=True).exists()
