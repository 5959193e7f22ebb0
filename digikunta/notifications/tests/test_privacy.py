"""Choices and digest items are the person's data: exported, erased with them."""

import json

import pytest

from digikunta.notifications.models import Frequency, Notification, Preference

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_choices_and_what_waits_for_the_digest(client, news, resident):
    Preference.objects.create(user=resident, kind="test_news", frequency=Frequency.DAILY)
    Notification.objects.create(
        user=resident, kind="test_news", template="testnews/posted", params={"title": "Kirjasto"}
    )
    client.force_login(resident)
    data = json.loads(client.post("/fi/account/settings/data/export/").content)["data"]
    assert data["notifications.preference"] == [
        {"pk": Preference.objects.get().pk, "kind": "test_news", "frequency": "daily"}
    ]
    [item] = data["notifications.notification"]
    assert item["params"] == {"title": "Kirjasto"} and item["digested_at"] is None


def test_erasure_takes_them_along(resident, news):
    Preference.objects.create(user=resident, kind="test_news", frequency=Frequency.OFF)
    Notification.objects.create(user=resident, kind="test_news", template="testnews/posted")
    resident.delete()
    assert not Preference.objects.exists() and not Notification.objects.exists()
