"""Backup and restore of the whole database and the uploaded files, as one zip archive.

The database goes through Django's serialisers (JSON Lines, streamed both ways), so an archive
taken on SQLite restores on PostgreSQL and back. Content types and permissions are rebuilt by
migrations and referenced by natural keys. See docs/operations.md.
"""

import hashlib
import json
import shutil
import tempfile
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "digikunta-backup/1"
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    """The archive cannot be restored; nothing was changed."""


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _walk(storage: Storage, directory: str = "") -> list[str]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:  # a new server: MEDIA_ROOT is made by the first save
        return []
    names = [f"{directory}/{f}" if directory else f for f in files]
    for folder in folders:
        names += _walk(storage, f"{directory}/{folder}" if directory else folder)
    return sorted(names)


def _counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in {"contenttypes", "sessions"} or label in EXCLUDED:
            continue
        if model._meta.managed and not model._meta.proxy:
            counts[label] = model._base_manager.count()
    return counts


def backup(path: Path, storage: Storage = default_storage) -> dict[str, Any]:
    """Write the database and every stored file to ``path``; returns the manifest."""
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        # One snapshot for the rows and their counts: writes during the backup don't split it.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        dump = Path(tmp) / "data.jsonl"
        call_command(
            "dumpdata",
            format="jsonl",
            natural_foreign=True,
            exclude=EXCLUDED,
            output=str(dump),
            verbosity=0,
        )
        counts = _counts()
        files = {}
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(dump, "data.jsonl")
            data_hash = hashlib.sha256(dump.read_bytes()).hexdigest()
            for name in _walk(storage):
                with storage.open(name, "rb") as handle:
                    content = handle.read()
                files[name] = hashlib.sha256(content).hexdigest()
                archive.writestr(f"media/{name}", content)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": _applied_migrations(),
                "counts": counts,
                "data": data_hash,
                "files": files,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError("The file is not a Digikunta backup: it has no manifest.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError as error:
        raise BackupError(f"The backup is incomplete: it has no {name}.") from error
    except (OSError, zipfile.BadZipFile, zlib.error) as error:  # damaged, e.g. a CRC error
        raise BackupError(f"The member {name} of the backup is damaged: {error}") from error


def _check(archive: zipfile.ZipFile, storage: Storage) -> dict[str, Any]:
    """Everything restore needs, checked before anything is replaced; returns the manifest."""
    manifest = read_manifest(archive)
    if manifest["migrations"] != _applied_migrations():
        raise BackupError(
            "The backup was taken with other migrations than this database has; "
            "run `digikunta migrate` with the matching version first."
        )
    data = _member(archive, "data.jsonl")
    if manifest.get("data") and hashlib.sha256(data).hexdigest() != manifest["data"]:
        raise BackupError("The data of the backup (data.jsonl) is damaged.")
    size = 0
    for name, digest in manifest["files"].items():
        content = _member(archive, f"media/{name}")
        if hashlib.sha256(content).hexdigest() != digest:
            raise BackupError(f"The file {name} in the backup is damaged.")
        size += len(content)
    # Through the storage API: this also makes MEDIA_ROOT on a new server.
    probe = f"restore-check-{uuid.uuid4().hex}.tmp"
    try:
        storage.delete(storage.save(probe, ContentFile(b"")))
    except OSError as error:
        raise BackupError(f"The file storage cannot be written to: {error}") from error
    if isinstance(storage, FileSystemStorage):
        free = shutil.disk_usage(storage.location).free
        if free < size:
            raise BackupError(
                f"The files need {size} bytes but the storage has only {free} bytes free."
            )
    return manifest


def _write_files(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    storage: Storage,
    *,
    keep: Path,
    added: list[str],
    replaced: dict[str, Path],
) -> None:
    """Write the archive's files, noting in ``added`` the names written where none was and in
    ``replaced`` the old contents (kept under ``keep``), so that a failure can put them back."""
    for index, (name, digest) in enumerate(manifest["files"].items()):
        content = archive.read(f"media/{name}")
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                old = handle.read()
            if hashlib.sha256(old).hexdigest() == digest:
                continue
            replaced[name] = keep / str(index)
            replaced[name].write_bytes(old)
            storage.delete(name)
        else:
            added.append(name)
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            storage.delete(saved)
            raise BackupError(f"The storage saved {name} under another name.")


def _put_back(storage: Storage, added: list[str], replaced: dict[str, Path]) -> None:
    for name in added:
        storage.delete(name)
    for name, old in replaced.items():
        storage.delete(name)
        storage.save(name, ContentFile(old.read_bytes()))


def restore(path: Path, storage: Storage = default_storage) -> dict[str, Any]:
    """Replace the database and stored files with the archive's: all or nothing.

    Everything is checked first (the archive, its format, the migrations, the hash of the data
    and of every file, that the storage can be written to and has room), then the files are
    written, then the database is replaced in one transaction. If that fails, the files written
    are removed and the replaced ones put back. Only deleting the files that are not in the
    archive happens after the commit. Issue 9: a new server without MEDIA_ROOT restores.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = _check(archive, storage)
        dump = Path(tmp) / "data.jsonl"
        dump.write_bytes(archive.read("data.jsonl"))
        keep = Path(tmp) / "replaced"
        keep.mkdir()
        added: list[str] = []
        replaced: dict[str, Path] = {}
        try:
            _write_files(archive, manifest, storage, keep=keep, added=added, replaced=replaced)
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(dump), verbosity=0)
                if _counts() != manifest["counts"]:
                    raise BackupError(
                        "The restored row counts differ from the backup's; rolled back."
                    )
        except BaseException:
            _put_back(storage, added, replaced)
            raise
        for name in _walk(storage):
            if name not in manifest["files"]:
                storage.delete(name)
    return manifest
