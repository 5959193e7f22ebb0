"""Posting limits (MODERATION_POST_LIMITS): the post past a limit is a 429 that says when to
try again, in the form and in the API; older posts do not count."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from digikunta.experiments.models import JournalEntry
from digikunta.moderation import services

pytestmark = pytest.mark.django_db

TOO_FAST = "Voit julkaista enintään 2 kertaa minuutissa. Odota hetki ja yritä uudelleen."


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.MODERATION_POST_LIMITS = {"journal_entry": ("2/m", "3/d"), "report": ("1/h",)}


def post(client, experiment, body):
    return client.post(f"{experiment.get_absolute_url()}journal/", {"body": body, "language": "fi"})


def test_the_post_past_the_limit_is_refused_with_a_message(client, member, experiment):
    client.force_login(member)
    assert [post(client, experiment, f"Viikko {n}").status_code for n in (1, 2)] == [302, 302]
    response = post(client, experiment, "Viikko 3")
    assert response.status_code == 429
    page = response.content.decode()
    assert TOO_FAST in page and "Viikko 3" in page
    assert JournalEntry.objects.count() == 2


def test_the_api_answers_429_with_the_message(client, member, experiment, auth):
    headers = auth(member)
    url = f"/api/v1/experiments/{experiment.pk}/journal"
    statuses = [
        client.post(url, {"body": f"{n}"}, content_type="application/json", **headers)
        for n in range(3)
    ]
    assert [response.status_code for response in statuses] == [201, 201, 429]
    assert statuses[2].json() == {"detail": TOO_FAST, "errors": []}


def test_posts_older_than_the_period_do_not_count(client, member, experiment):
    client.force_login(member)
    post(client, experiment, "1")
    post(client, experiment, "2")
    JournalEntry.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert post(client, experiment, "3").status_code == 302
    # the day's limit still counts them
    JournalEntry.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    response = post(client, experiment, "4")
    assert response.status_code == 429
    assert "Voit julkaista enintään 3 kertaa päivässä. Yritä huomenna uudelleen." in (
        response.content.decode()
    )


def test_each_person_has_their_own_limits(client, member, experiment):
    from digikunta.accounts.tests.factories import UserFactory
    from digikunta.experiments.tests.factories import TeamMemberFactory

    colleague = UserFactory()
    TeamMemberFactory(experiment=experiment, user=colleague)
    client.force_login(member)
    post(client, experiment, "1")
    post(client, experiment, "2")
    client.force_login(colleague)
    assert post(client, experiment, "3").status_code == 302


def test_reports_have_their_own_limit(client, resident, entry, member, experiment):
    other = JournalEntry.objects.create(experiment=experiment, author=member, body="Toinen")
    client.force_login(resident)
    first = client.post(f"/fi/moderation/report/journal_entry/{entry.pk}/", {"reason": "spam"})
    assert first.status_code == 302
    second = client.post(f"/fi/moderation/report/journal_entry/{other.pk}/", {"reason": "spam"})
    assert second.status_code == 429
    assert "Voit julkaista enintään kerran tunnissa." in second.content.decode()


def test_a_kind_without_limits_is_only_checked_for_a_block(member):
    services.check_may_post(member, kind="nothing_limited")


def test_a_malformed_limit_or_a_kind_nobody_registered_is_a_configuration_error(settings, member):
    settings.MODERATION_POST_LIMITS = {"journal_entry": ("10 a minute",), "poem": ("1/d",)}
    with pytest.raises(ImproperlyConfigured, match="10 a minute"):
        services.check_may_post(member, kind="journal_entry")
    with pytest.raises(ImproperlyConfigured, match="poem"):
        services.check_may_post(member, kind="poem")


def test_the_settings_limits_parse(settings):
    from digikunta.settings import base

    settings.MODERATION_POST_LIMITS = base.MODERATION_POST_LIMITS
    for kind in base.MODERATION_POST_LIMITS:
        assert services.post_limits(kind)


def test_anonymous_visitors_may_not_post():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.Refused):
        services.check_may_post(AnonymousUser(), kind="journal_entry")
