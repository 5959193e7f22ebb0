"""`digikunta backup FILE`: the whole database and uploaded files in one zip archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digikunta.audit.models import AuditAction
from digikunta.audit.services import audit_record
from digikunta.core.backup import backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files to FILE (a zip archive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        audit_record(action=AuditAction.BACKUP)
        manifest = backup(options["file"])
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backed up {rows} rows and {len(manifest['files'])} files to {options['file']}."
        )
