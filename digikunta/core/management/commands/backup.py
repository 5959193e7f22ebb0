"""`digikunta backup FILE`: the whole database and uploaded files in one zip archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digikunta.core.backup import backup
from digikunta.core.signals import backup_started


class Command(BaseCommand):
    help = "Back up the database and uploaded files to FILE (a zip archive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        backup_started.send(sender=self.__class__)  # the audit trail records it
        manifest = backup(options["file"])
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backed up {rows} rows and {len(manifest['files'])} files to {options['file']}."
        )
