"""`digikunta restore FILE`: replace the database and uploaded files with a backup's."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digikunta.core.backup import BackupError, restore
from digikunta.core.signals import backup_restored


class Command(BaseCommand):
    help = "Restore the database and uploaded files from FILE. Everything now there is replaced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].exists():
            raise CommandError(f"No such file: {options['file']}")
        if not options["no_input"]:
            answer = input("This replaces all data with the backup's. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = restore(options["file"])
        except BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        # The audit trail records it, in the restored data.
        backup_restored.send(sender=self.__class__, created_at=manifest["created_at"])
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Restored {rows} rows and {len(manifest['files'])} files.")
