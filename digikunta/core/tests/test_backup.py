"""`digikunta backup` and `restore` round-trip the database and the stored files."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from digikunta.accounts.models import User
from digikunta.audit.models import AuditAction, AuditEvent
from digikunta.core.backup import _walk
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
    for name in _walk(default_storage):
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


def test_restore_rolls_back_when_the_data_does_not_load(tmp_path, member, stored_files):
    municipalities = Municipality.objects.count()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    broken = tmp_path / "broken.zip"
    bad_row = b'{"model": "accounts.user", "pk": 999999, "fields": {"email": null}}\n'
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(broken, "w") as target:
        data = source.read("data.jsonl") + bad_row
        manifest = json.loads(source.read("manifest.json"))
        manifest["data"] = hashlib.sha256(data).hexdigest()  # passes the checks, fails to load
        for item in source.infolist():
            content = {"data.jsonl": data, "manifest.json": json.dumps(manifest).encode()}
            target.writestr(item, content.get(item.filename, source.read(item)))
    # The files as they are now, which the failed restore must leave as they are.
    default_storage.delete(stored_files[0])
    with default_storage.open(stored_files[1], "wb") as handle:
        handle.write(b"changed after the backup")
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the row
        call_command("restore", str(broken), "--no-input")
    assert User.objects.filter(email=member.email).exists()
    assert Municipality.objects.count() == municipalities
    assert not default_storage.exists(stored_files[0])
    with default_storage.open(stored_files[1]) as handle:
        assert handle.read() == b"changed after the backup"


def rewrite(archive, target, change):
    """Copy ``archive`` to ``target``, passing each member's (name, bytes) through ``change``."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            content = change(item.filename, source.read(item))
            if content is not None:
                copy.writestr(item, content)


def test_restore_on_a_fresh_server_without_media_dir(tmp_path, member, stored_files, settings):
    before = snapshot()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    # The new server: migrated, its own first user, and no media directory yet.
    User.objects.filter(pk=member.pk).delete()
    User.objects.create_user("first@example.fi", "x" * 12)
    media = tmp_path / "new-server" / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert snapshot() == before
    assert (media / stored_files[0]).read_bytes() == b"\xff\xd8\xff jpeg bytes"
    assert sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) == sorted(
        stored_files
    )


def corrupt_the_bytes_of_a_member(archive, target, member):
    """Damage the compressed bytes of ``member`` inside the zip, as a bad disk would."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as source:
        info = source.getinfo(member)
    # The local header is 30 bytes plus the name and extra field; then the member's bytes.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start] ^= 0xFF
    target.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["corrupt media bytes", "missing media", "changed data"])
def test_restore_checks_everything_before_replacing_anything(
    tmp_path, member, stored_files, damage
):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.zip"
    name = f"media/{stored_files[1]}"
    if damage == "corrupt media bytes":
        corrupt_the_bytes_of_a_member(archive, damaged, name)
    elif damage == "missing media":
        rewrite(archive, damaged, lambda n, c: None if n == name else c)
    else:
        rewrite(archive, damaged, lambda n, c: c.replace(b"@", b"#") if n == "data.jsonl" else c)
    User.objects.create_user("after@example.fi", "x" * 12)
    default_storage.save("after.txt", ContentFile(b"written after the backup"))
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(damaged), "--no-input")
    assert snapshot() == before
    assert default_storage.exists("after.txt")


def test_restore_refuses_a_storage_it_cannot_write_and_changes_nothing(tmp_path, member, settings):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    User.objects.create_user("after@example.fi", "x" * 12)
    before = snapshot()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }
    with pytest.raises(CommandError, match="cannot be written to"):
        call_command("restore", str(archive), "--no-input")
    assert snapshot() == before


def test_a_backup_and_a_restore_are_in_the_audit_trail(tmp_path, stored_files):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    events = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    # The backup's own record is in the backup; the restore is recorded after it.
    assert events == [AuditAction.BACKUP, AuditAction.RESTORE]
    restore = AuditEvent.objects.get(action=AuditAction.RESTORE)
    assert restore.data["created_at"]
