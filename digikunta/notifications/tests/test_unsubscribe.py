"""One-click unsubscribe (RFC 8058): works without signing in, GET only asks."""

import pytest
from django.core import signing
from django.test import Client

from digikunta.notifications import kinds
from digikunta.notifications.models import Frequency, Notification, Preference
from digikunta.notifications.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


def url(user, kind="test_news", lang="fi"):
    return f"/{lang}/notifications/unsubscribe/{unsubscribe_token(user.pk, kind)}/"


def choices(user):
    return dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))


def test_opening_the_link_only_asks(client, news, resident):
    response = client.get(url(resident))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test news" in html and '<form method="post"' in html
    assert "Lopeta ilmoitukset" in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert choices(resident) == {}


def test_the_button_stops_the_kind_without_signing_in_or_a_csrf_token(news, resident):
    Notification.objects.create(user=resident, kind="test_news", template="testnews/posted")
    Notification.objects.create(user=resident, kind="test_quiet", template="testnews/posted")
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(resident, lang="sv"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test news" in html
    assert 'href="/sv/account/notifications/"' in html
    assert choices(resident) == {"test_news": Frequency.OFF}
    assert list(Notification.objects.values_list("kind", flat=True)) == ["test_quiet"]


def test_a_mail_clients_one_click_post_works(news, resident):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url(resident),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert choices(resident) == {"test_news": Frequency.OFF}
    assert client.post(url(resident)).status_code == 200  # again: still off, no error


def test_stopping_every_kind_covers_kinds_added_later(client, news, resident):
    Preference.objects.create(user=resident, kind="test_quiet", frequency=Frequency.IMMEDIATELY)
    Notification.objects.create(user=resident, kind="test_quiet", template="testnews/posted")
    assert "myöhemmin" in client.get(url(resident, kinds.ALL)).content.decode()
    response = client.post(url(resident, kinds.ALL))
    assert response.status_code == 200
    assert set(choices(resident).values()) == {Frequency.OFF}
    assert set(choices(resident)) == {kind.key for kind in kinds.registered()} | {kinds.ALL}
    assert not Notification.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused_and_changes_nothing(client, news, resident, method):
    token = unsubscribe_token(resident.pk, "test_news")
    forged = token[:-2] + ("xy" if not token.endswith("xy") else "yx")
    response = getattr(client, method)(f"/fi/notifications/unsubscribe/{forged}/")
    assert response.status_code == 400
    assert "Linkki ei toimi" in response.content.decode()
    assert choices(resident) == {}


def test_a_token_signed_for_something_else_is_refused(client, resident):
    other = signing.dumps([resident.pk, "test_news"], salt="something.else")
    assert client.post(f"/fi/notifications/unsubscribe/{other}/").status_code == 400
    assert choices(resident) == {}


def test_the_link_of_an_erased_account_stops_nothing_and_says_it_is_done(client, news, resident):
    link = url(resident)
    resident.delete()
    assert client.post(link).status_code == 200
    assert not Preference.objects.exists()


def test_other_methods_are_refused(client, news, resident):
    assert client.put(url(resident)).status_code == 405
