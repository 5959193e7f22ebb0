"""A hidden journal entry keeps its place on the page as the moderators' reason, and leaves
the case-bank search, its exports and the API; restored, it is back everywhere."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from digikunta.accounts.services import user_export
from digikunta.experiments import services as experiment_services
from digikunta.experiments.models import Attachment
from digikunta.moderation import services

pytestmark = pytest.mark.django_db

WORD = "kellokorvakoruja"


def found_in_search(client) -> bool:
    """Whether the case bank finds the experiment by the entry's word (as anyone, cached)."""
    return "Kirjaston iltapäivät" in client.get("/fi/casebank/", {"q": WORD}).content.decode()


def found_in_export(client) -> bool:
    response = client.get("/fi/casebank/export.json", {"q": WORD})
    return bool(json.loads(b"".join(response.streaming_content)))


def api_journal(client, experiment) -> list[dict]:
    return client.get(f"/api/v1/experiments/{experiment.pk}/journal").json()["results"]


@pytest.fixture
def hide(moderator, django_capture_on_commit_callbacks):
    """Hide as a moderator does, with the commit's work (stale pages) run."""

    def _hide(entry, reason="Mainos, ei kokeilun päiväkirjaa."):
        with django_capture_on_commit_callbacks(execute=True):
            services.content_hide(moderator=moderator, obj=entry, public_reason=reason)

    return _hide


def test_a_hidden_entry_shows_the_reason_in_its_place(client, entry, hide):
    url = entry.experiment.get_absolute_url()
    assert WORD in client.get(url).content.decode()  # now in the page cache
    hide(entry)
    page = client.get(url).content.decode()
    assert WORD not in page
    assert "Moderaattorit ovat piilottaneet tämän: Mainos, ei kokeilun päiväkirjaa." in page
    assert f'id="entry-{entry.pk}"' in page  # its place in the journal stays
    assert f"/moderation/report/journal_entry/{entry.pk}/" not in page


def test_the_team_sees_the_notice_too_and_cannot_edit_it(client, entry, member, hide):
    hide(entry)
    client.force_login(member)
    page = client.get(entry.experiment.get_absolute_url()).content.decode()
    assert WORD not in page and "Moderaattorit ovat piilottaneet tämän" in page
    edit = f"{entry.experiment.get_absolute_url()}journal/{entry.pk}/edit/"
    assert client.get(edit).status_code == 404


def test_a_hidden_entry_leaves_search_and_exports_and_comes_back_restored(
    client, entry, hide, moderator, django_capture_on_commit_callbacks
):
    assert found_in_search(client) and found_in_export(client)  # the page is cached now
    hide(entry)
    assert not found_in_search(client) and not found_in_export(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_restore(moderator=moderator, obj=entry)
    assert found_in_search(client) and found_in_export(client)


def test_a_hidden_entry_leaves_the_api(client, entry, experiment, hide, moderator):
    assert [item["id"] for item in api_journal(client, experiment)] == [entry.pk]
    hide(entry)
    assert api_journal(client, experiment) == []
    services.content_restore(moderator=moderator, obj=entry)
    assert [item["id"] for item in api_journal(client, experiment)] == [entry.pk]


def test_the_other_entries_stay_where_they_were(client, entry, experiment, member, hide):
    other = experiment_services.journal_entry_create(
        experiment=experiment, by=member, body="Toinen viikko: kävijöitä 40."
    )
    hide(entry)
    page = client.get(experiment.get_absolute_url()).content.decode()
    assert "Toinen viikko: kävijöitä 40." in page
    assert page.index(f'id="entry-{other.pk}"') < page.index(f'id="entry-{entry.pk}"')
    assert [item["id"] for item in api_journal(client, experiment)] == [other.pk]


def test_restored_the_entry_shows_again_on_the_page(
    client, entry, hide, moderator, django_capture_on_commit_callbacks
):
    hide(entry)
    url = entry.experiment.get_absolute_url()
    assert WORD not in client.get(url).content.decode()
    restore = f"/fi/moderation/content/journal_entry/{entry.pk}/restore/"
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(restore)
    client.logout()
    page = client.get(url).content.decode()
    assert WORD in page and "Moderaattorit ovat piilottaneet" not in page


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_photos_attachments_and_history_of_a_hidden_entry_are_not_served(
    client, experiment, member, hide
):
    client.force_login(member)
    client.post(
        f"{experiment.get_absolute_url()}journal/",
        {
            "body": "Kuvia ja liite",
            "language": "fi",
            "photo": SimpleUploadedFile("kuva.png", png(), content_type="image/png"),
            "alt_text": "Kirjaston sali",
            "attachment": SimpleUploadedFile("muistio.txt", b"Muistio", content_type="text/plain"),
        },
    )
    entry = experiment.journal.get()
    experiment_services.journal_entry_update(entry=entry, by=member, body="Korjattu teksti")
    photo, attachment = entry.photos.get(), Attachment.objects.get(entry=entry)
    base = experiment.get_absolute_url()
    paths = [
        f"{base}files/photo/{photo.pk}/",
        f"{base}files/thumbnail/{photo.pk}/",
        f"{base}files/attachment/{attachment.pk}/",
        f"{base}journal/{entry.pk}/history/",
    ]
    assert [client.get(path).status_code for path in paths] == [200, 200, 200, 200]
    hide(entry)
    assert [client.get(path).status_code for path in paths] == [404, 404, 404, 404]


def test_the_author_export_holds_the_hidden_entry_with_the_reason(entry, member, hide):
    hide(entry)
    exported = user_export(user=member)["experiments.journalentry"]
    assert exported[0]["body"] == entry.body
    assert exported[0]["hidden_reason"] == "Mainos, ei kokeilun päiväkirjaa."
