"""deliver(): each person's choice per kind, in their language, with a way to stop it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from digikunta.accounts.tests.factories import UserFactory
from digikunta.notifications import kinds, services
from digikunta.notifications.models import Delivery, Frequency, Notification, Preference
from digikunta.notifications.tests.conftest import send
from digikunta.notifications.tokens import read_unsubscribe_token

pytestmark = pytest.mark.django_db


def choose(user, kind, frequency):
    Preference.objects.create(user=user, kind=kind, frequency=frequency)


def test_immediately_is_one_mail_in_the_recipients_language_with_a_way_out(
    news, django_capture_on_commit_callbacks
):
    swede = UserFactory(language="sv")
    finn = UserFactory(language="fi")
    with django_capture_on_commit_callbacks(execute=True):
        assert send([swede.pk, finn.pk]) == 2
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {swede.email, finn.email}
    swedish, finnish = sent[swede.email], sent[finn.email]
    assert swedish.subject == "Digikunta: Kirjastokokeilu (Resultat)"
    assert finnish.subject == "Digikunta: Kirjastokokeilu (Tulokset)"
    assert "http://127.0.0.1:8000/sv/account/notifications/" in swedish.body  # the link
    assert "/fi/account/notifications/" in finnish.body
    header = swedish.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and "/sv/notifications/unsubscribe/" in header
    assert swedish.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.rstrip("/>").rsplit("/", 1)[-1]
    assert read_unsubscribe_token(token) == (swede.pk, "test_news")
    footer = swedish.body.split("\n-- \n", 1)[1]
    assert header[1:-1] in footer  # the same one-click link, and the settings page
    assert "Avsluta aviseringar som den här (Test news):" in footer
    assert "/sv/account/notifications/" in footer
    assert not Notification.objects.exists()


def test_daily_keeps_a_row_for_the_digest_and_sends_nothing_now(
    news, resident, django_capture_on_commit_callbacks
):
    choose(resident, "test_news", Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        assert send([resident.pk]) == 1
    assert mail.outbox == []
    row = Notification.objects.get()
    assert (row.user, row.kind, row.template, row.digested_at) == (
        resident,
        "test_news",
        "testnews/posted",
        None,
    )
    assert row.params == {"title": "Kirjastokokeilu"}
    assert row.link == ["notifications:settings", []]


def test_off_sends_and_keeps_nothing(news, resident, django_capture_on_commit_callbacks):
    choose(resident, "test_news", Frequency.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        assert send([resident.pk]) == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_choice_is_per_kind(news, resident, django_capture_on_commit_callbacks):
    choose(resident, "test_news", Frequency.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        send([resident.pk], kind="test_news")
        send([resident.pk], kind="test_quiet")  # its default: daily
    assert mail.outbox == []
    assert list(Notification.objects.values_list("kind", flat=True)) == ["test_quiet"]


def test_without_a_choice_the_kinds_default_applies(news, resident):
    assert send([resident.pk], kind="test_quiet") == 1
    assert Notification.objects.filter(user=resident, kind="test_quiet").exists()


def test_stopping_every_kind_covers_kinds_without_a_choice_but_not_those_chosen(
    news, resident, outsider, django_capture_on_commit_callbacks
):
    choose(resident, kinds.ALL, Frequency.OFF)
    choose(resident, "test_quiet", Frequency.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        assert send([resident.pk, outsider.pk]) == 1  # only the outsider: default immediately
        assert send([resident.pk], kind="test_quiet") == 1  # chosen after stopping all
    assert sorted(m.to[0] for m in mail.outbox) == sorted([outsider.email, resident.email])


def test_each_person_once_never_the_actor_nor_an_inactive_account(
    news, resident, outsider, django_capture_on_commit_callbacks
):
    gone = UserFactory(is_active=False)
    actor = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        done = send([resident.pk, resident.pk, gone.pk, actor.pk, outsider.pk], exclude=actor.pk)
    assert done == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([resident.email, outsider.email])


def test_an_unregistered_kind_is_a_programming_error(news, resident):
    with pytest.raises(LookupError):
        send([resident.pk], kind="nobody_registered_this")


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow_with_the_recipients(
    news, count, django_assert_num_queries, django_capture_on_commit_callbacks
):
    people = [UserFactory() for _ in range(count)]
    for person in people[::2]:
        choose(person, "test_news", Frequency.DAILY)
    ids = (person.pk for person in people)  # a generator, as a cursor would give
    # The delivery's progress row (read, savepoint, insert, release); per chunk a savepoint,
    # the people, their choices, the digest rows' INSERT, the progress and the release; the
    # progress row's delete (read, delete). The immediate backend of the tests sends the mail
    # after the commit; the database backend adds one INSERT per chunk.
    with django_assert_num_queries(12), django_capture_on_commit_callbacks(execute=True):
        assert send(ids) == count
    assert len(mail.outbox) == count - len(people[::2])


def test_recipients_go_in_chunks(news, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "CHUNK", 4)
    people = [UserFactory() for _ in range(10)]
    with django_capture_on_commit_callbacks(execute=True):
        assert send(person.pk for person in people) == 10
    assert len({m.to[0] for m in mail.outbox}) == 10


def test_a_delivery_tried_again_after_a_failure_skips_the_chunks_already_sent(
    news, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK", 2)
    people = [UserFactory() for _ in range(5)]
    ids = [person.pk for person in people]
    real = services._deliver_chunk
    calls = []

    def flaky(chunk, *args):
        calls.append(chunk)
        if len(calls) == 2:
            raise ConnectionError("the database went away")
        return real(chunk, *args)

    monkeypatch.setattr(services, "_deliver_chunk", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ConnectionError):
            send(ids)
        assert send(ids) == 3  # the task's retry: the second and third chunks only
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert send(ids) == 5  # the same delivery asked for again, once the first ended


def test_a_delivery_left_unfinished_starts_again_from_the_first_only_after_hours(news, resident):
    # What an attempt that failed leaves: the delivery's key with its first chunk done.
    progress = services._delivery(
        "test_news",
        "testnews/posted",
        {"title": "Kirjastokokeilu"},
        ["notifications:settings", []],
        None,
    )
    Delivery.objects.filter(pk=progress.pk).update(chunks_done=1)
    assert send([resident.pk]) == 0  # a retry within hours: that chunk is done
    Delivery.objects.create(key=progress.key, chunks_done=1)
    Delivery.objects.filter(key=progress.key).update(
        started_at=timezone.now() - services.STALE_DELIVERY - timedelta(minutes=1)
    )
    assert send([resident.pk]) == 1  # failed for good long ago: asked again, all of it
