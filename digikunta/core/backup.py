"""Backup and restore of the whole database and the uploaded files, as one zip archive.

The database goes through Django's serialisers (JSON Lines, streamed both ways), so an archive
taken on SQLite restores on PostgreSQL and back. Content types and permissions are rebuilt by
migrations and referenced by natural keys. See docs/operations.md.
"""

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
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
    folders, files = storage.listdir(directory)
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
                "files": files,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError("The file is not a Digikunta backup: it has no manifest.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def restore(path: Path, storage: Storage = default_storage) -> dict[str, Any]:
    """Replace the database and stored files with the archive's; all or nothing for the database.

    The schema must match: the archive's applied migrations must equal this database's.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = read_manifest(archive)
        if manifest["migrations"] != _applied_migrations():
            raise BackupError(
                "The backup was taken with other migrations than this database has; "
                "run `digikunta migrate` with the matching version first."
            )
        for name, digest in manifest["files"].items():
            if hashlib.sha256(archive.read(f"media/{name}")).hexdigest() != digest:
                raise BackupError(f"The file {name} in the backup is damaged.")
        dump = Path(tmp) / "data.jsonl"
        dump.write_bytes(archive.read("data.jsonl"))
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(dump), verbosity=0)
            if _counts() != manifest["counts"]:
                raise BackupError("The restored row counts differ from the backup's; rolled back.")
        for name in _walk(storage):
            if name not in manifest["files"]:
                storage.delete(name)
        for name in manifest["files"]:
            if storage.exists(name):
                storage.delete(name)
            storage.save(name, ContentFile(archive.read(f"media/{name}")))
    return manifest
