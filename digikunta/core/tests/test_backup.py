"""`digikunta backup` and `restore` round-trip the database and the stored files."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from digikunta.accounts.models import User
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Membership, Organisation

# Transactional: restore flushes and reloads the whole database, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored_files():
    names = [
        default_storage.save("journal/2026/kuva.jpg", ContentFile(b"\xff\xd8\xff jpeg bytes")),
        default_storage.save("liitteet/raportti.pdf", ContentFile(b"%PDF-1.7 report")),
    ]
    yield names
    for name in default_storage.listdir("")[1]:
        default_storage.delete(name)


def snapshot():
    return {
        "users": sorted(User.objects.values_list("email", "name", "password")),
        "organisations": sorted(Organisation.objects.values_list("slug", "name", "kind")),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "organisation__slug", "role")
        ),
        "municipalities": Municipality.objects.count(),
    }


def test_backup_and_restore_round_trip_with_nothing_lost(
    tmp_path, member, organisation, stored_files
):
    before = snapshot()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())

    # Change everything: new rows, deleted rows, changed and extra files.
    Organisation.objects.filter(pk=organisation.pk).delete()
    User.objects.create_user("intruder@example.fi", "x" * 12)
    default_storage.delete(stored_files[0])
    default_storage.save("extra.txt", ContentFile(b"not in the backup"))

    out = io.StringIO()
    call_command("restore", str(archive), "--no-input", stdout=out)
    assert "Restored" in out.getvalue()
    assert snapshot() == before
    with default_storage.open(stored_files[0]) as handle:
        assert handle.read() == b"\xff\xd8\xff jpeg bytes"
    assert not default_storage.exists("extra.txt")


def test_restore_refuses_a_damaged_archive_and_changes_nothing(tmp_path, member, stored_files):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == f"media/{stored_files[1]}":
                content = b"tampered"
            target.writestr(item, content)
    User.objects.create_user("after@example.fi", "x" * 12)
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--no-input")
    assert User.objects.filter(email="after@example.fi").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "not-a-backup.zip"
    path.write_bytes(b"hello")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(path), "--no-input")


def test_restore_rolls_back_when_the_data_does_not_load(tmp_path, member):
    municipalities = Municipality.objects.count()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "data.jsonl":
                content += b'{"model": "accounts.user", "pk": 999999, "fields": {"email": null}}\n'
            target.writestr(item, content)
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the row
        call_command("restore", str(broken), "--no-input")
    assert User.objects.filter(email=member.email).exists()
    assert Municipality.objects.count() == municipalities
