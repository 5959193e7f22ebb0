"""The notification settings page: a fieldset of radio buttons per kind, one save."""

import pytest

from digikunta.notifications import kinds
from digikunta.notifications.models import Frequency, Notification, Preference

pytestmark = pytest.mark.django_db
URL = "/fi/account/notifications/"


def choices(user):
    return dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))


def every_kind(frequency, **changes):
    return {kind.key: frequency for kind in kinds.registered()} | changes


def test_the_page_shows_a_fieldset_per_kind_with_what_applies_now(client, news, resident):
    Preference.objects.create(user=resident, kind="test_news", frequency=Frequency.DAILY)
    client.force_login(resident)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<fieldset") == len(kinds.registered())
    assert "<legend>Test news" in html
    assert "Something new happens in a test." in html  # the description
    assert "Kokeilut, joita seuraat" in html  # experiments' kind, in Finnish
    assert 'value="daily" required id="id_test_news_1" checked' in html  # the choice
    assert 'value="daily" required id="id_test_quiet_1" checked' in html  # the default
    assert 'value="immediately" required id="id_experiment_updates_0" checked' in html
    assert html.count(" checked") == len(kinds.registered())
    assert 'aria-current="page"' in html and "Ilmoitukset" in html  # in the settings menu


def test_saving_records_every_choice_and_says_so(client, news, resident):
    client.force_login(resident)
    data = every_kind(Frequency.IMMEDIATELY, test_news="daily", test_quiet="off")
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert choices(resident) == data
    page = client.get(URL).content.decode()
    assert "Ilmoitusvalintasi tallennettiin." in page


def test_turning_a_kind_off_drops_what_waits_for_its_digest(client, news, resident):
    Notification.objects.create(user=resident, kind="test_quiet", template="testnews/posted")
    client.force_login(resident)
    client.post(URL, every_kind(Frequency.DAILY, test_quiet="off"))
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "change", [{"test_news": "weekly"}, {"test_news": ""}], ids=["unknown", "missing"]
)
def test_a_bad_choice_is_refused_with_a_message_and_nothing_saved(client, news, resident, change):
    client.force_login(resident)
    data = every_kind(Frequency.OFF) | change
    response = client.post(URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_test_news"' in html
    assert "Valitse jokaiselle ilmoitukselle heti, päivän koosteena tai ei lainkaan." in html
    assert not Preference.objects.exists()
    # What was sent stays: the other kinds are still checked as off.
    assert 'value="off" required id="id_test_quiet_2" checked' in html


def test_an_htmx_save_gets_the_fragment(client, news, resident):
    client.force_login(resident)
    response = client.post(URL, {"test_news": "weekly"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="choices"' in html and "<html" not in html


def test_anonymous_people_are_sent_to_log_in(client, news):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_the_page_takes_only_get_and_post(client, resident):
    client.force_login(resident)
    assert client.put(URL).status_code == 405


def test_the_account_settings_menu_links_to_it(client, resident):
    client.force_login(resident)
    assert (
        'href="/fi/account/notifications/"' in client.get("/fi/account/settings/").content.decode()
    )
