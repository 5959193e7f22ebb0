"""Light documentation: Markdown text, photos and attachments, checked and versioned."""

import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from digikunta.core import uploads as journal
from digikunta.experiments.models import Attachment, JournalEntry, JournalPhoto
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def jpeg_with_gps(size=(1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (30, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Oy"  # Make
    exif[0x8825] = {2: (62.0, 53.0, 0.0), 4: (27.0, 40.0, 0.0)}  # GPS position
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def lead_experiment(member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


def post(client, experiment, **data):
    return client.post(f"/fi/experiments/{experiment.slug}/journal/", {"language": "fi", **data})


def test_an_entry_with_a_photo_is_published_without_its_location(client, member, lead_experiment):
    client.force_login(member)
    photo = SimpleUploadedFile("kuva.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = post(
        client,
        lead_experiment,
        body="Ensimmäinen **viikko**.",
        photo=photo,
        alt_text="Kirjaston ryhmätila, jossa neljä ihmistä",
    )
    assert response.status_code == 302, response.content
    stored = JournalPhoto.objects.get()
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (1600, 1200)
        assert not image.getexif()  # no camera, no GPS
    with stored.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.width == journal.THUMBNAIL_WIDTH
    html = client.get(lead_experiment.get_absolute_url()).content.decode()
    assert "<strong>viikko</strong>" in html
    assert 'alt="Kirjaston ryhmätila, jossa neljä ihmistä"' in html


def test_a_photo_needs_a_description(client, member, lead_experiment):
    client.force_login(member)
    photo = SimpleUploadedFile("kuva.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = post(client, lead_experiment, body="Teksti", photo=photo, alt_text="")
    assert response.status_code == 422
    assert 'href="#id_alt_text"' in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_a_fake_image_is_refused_and_nothing_is_written(client, member, lead_experiment):
    client.force_login(member)
    fake = SimpleUploadedFile("kuva.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = post(client, lead_experiment, body="Teksti", photo=fake, alt_text="x")
    assert response.status_code == 422
    assert "Tiedosto ei ole kuva, jonka voimme lukea" in response.content.decode()
    assert not JournalEntry.objects.exists() and not JournalPhoto.objects.exists()


def test_an_oversized_image_is_refused_with_the_limit(client, member, lead_experiment, monkeypatch):
    monkeypatch.setattr(journal, "MAX_IMAGE_BYTES", 1024 * 1024)
    noise = Image.frombytes("RGB", (1200, 900), os.urandom(1200 * 900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="JPEG", quality=95)
    assert buffer.tell() > 1024 * 1024
    client.force_login(member)
    photo = SimpleUploadedFile("kuva.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(
        f"/en/experiments/{lead_experiment.slug}/journal/",
        {"language": "fi", "body": "x", "photo": photo, "alt_text": "x"},
    )
    assert response.status_code == 422
    size = journal._megabytes(buffer.tell())
    assert f"The image is {size} MB; the limit is 1 MB." in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_a_gif_is_refused_by_format(client, member, lead_experiment):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    client.force_login(member)
    response = client.post(
        f"/en/experiments/{lead_experiment.slug}/journal/",
        {
            "language": "fi",
            "body": "x",
            "photo": SimpleUploadedFile("a.gif", buffer.getvalue()),
            "alt_text": "x",
        },
    )
    assert response.status_code == 422
    assert "this one is GIF" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("raportti.pdf", b"%PDF-1.7 ...", True),
        ("taulukko.csv", b"kunta;arvo\nKuopio;12\n", True),
        ("raportti.pdf", b"MZ\x90\x00 not a pdf", False),
        ("ohjelma.exe", b"MZ", False),
        ("teksti.txt", b"\xff\xfe\x00bad", False),
    ],
)
def test_attachments_are_checked_by_name_and_content(
    client, member, lead_experiment, name, content, ok
):
    client.force_login(member)
    response = post(
        client, lead_experiment, body="Liite", attachment=SimpleUploadedFile(name, content)
    )
    assert (response.status_code == 302) is ok
    assert Attachment.objects.exists() is ok


def test_markdown_is_sanitised(client, member, lead_experiment):
    client.force_login(member)
    body = (
        "Kokeilu *ok* <script>alert(1)</script>[x](javascript:alert(1)) "
        '<a href="javascript:alert(2)">y</a> <p style="color:red">z</p> '
        '<img src=x onerror=alert(3)> <span hx-post="/fi/organisations/" hx-trigger="load">w</span>'
        "\n\n<div onclick=alert(4)>a whole HTML block</div>"
    )
    post(client, lead_experiment, body=body)
    html = client.get(lead_experiment.get_absolute_url()).content.decode()
    prose = html.split('<div class="prose">')[1].split("</div>")[0]
    tags = re.findall(r"<[a-z][^>]*>", prose)
    # Raw HTML is left out (its text stays); a javascript: address never becomes a link.
    assert tags == ["<p>", "<em>"]
    assert "<script>alert" not in html
    assert "javascript:" not in prose and "onerror" not in prose and "hx-post" not in prose
    assert "<em>ok</em>" in prose and "x" in prose and "w" in prose


def test_editing_keeps_the_earlier_text_in_the_history(client, member, lead_experiment):
    client.force_login(member)
    post(client, lead_experiment, body="Ensimmäinen versio.")
    entry = JournalEntry.objects.get()
    url = f"/fi/experiments/{lead_experiment.slug}/journal/{entry.pk}/"
    response = client.post(
        url + "edit/", {"body": "Korjattu versio.", "language": "fi", "video_url": ""}
    )
    assert response.status_code == 302
    history = client.get(url + "history/").content.decode()
    assert "Korjattu versio." in history and "Ensimmäinen versio." in history
    assert entry.versions.get().edited_by == member


def test_files_of_a_members_only_experiment_are_not_served_to_outsiders(
    client, member, outsider, organisation
):
    experiment = ExperimentFactory(owner=organisation, visibility="members")
    TeamMemberFactory(experiment=experiment, user=member)
    client.force_login(member)
    post(client, experiment, body="x", attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    attachment = Attachment.objects.get()
    url = f"/fi/experiments/{experiment.slug}/files/attachment/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_outsiders_cannot_post_entries(client, outsider, lead_experiment):
    client.force_login(outsider)
    assert post(client, lead_experiment, body="x").status_code == 403
    assert not JournalEntry.objects.exists()


def test_journal_text_is_searchable(client, member, lead_experiment):
    client.force_login(member)
    post(client, lead_experiment, body="Ovenavaus toimi puhelimella ensimmäisestä päivästä.")
    page = client.get("/fi/casebank/", {"q": "ovenavauksen"}).context["page"]
    assert [e.pk for e in page.object_list] == [lead_experiment.pk]


def test_attachments_are_stored_under_a_random_name(client, member, lead_experiment):
    client.force_login(member)
    post(
        client,
        lead_experiment,
        body="x",
        attachment=SimpleUploadedFile("budjetti.pdf", b"%PDF-1.4 x"),
    )
    attachment = Attachment.objects.get()
    assert attachment.name == "budjetti.pdf"
    assert "budjetti" not in attachment.file.name and attachment.file.name.endswith(".pdf")


def test_the_journal_shows_the_newest_entry_first(client, member, lead_experiment):
    from digikunta.experiments import services

    services.journal_entry_create(experiment=lead_experiment, by=member, body="Ensimmäinen")
    services.journal_entry_create(experiment=lead_experiment, by=member, body="Toinen")
    html = client.get(lead_experiment.get_absolute_url()).content.decode()
    assert html.index("Toinen") < html.index("Ensimmäinen")
