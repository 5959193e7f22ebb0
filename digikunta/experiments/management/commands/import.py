"""`digikunta import experiments FILE [--skip-invalid]`: JSON Lines or CSV, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from tqdm import tqdm

from digikunta.experiments.importing import read_rows, validate
from digikunta.experiments.models import Theme
from digikunta.experiments.services import experiment_import_row
from digikunta.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Import data. `import experiments FILE`: see docs/import.md for the columns."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["experiments"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--language", default="en", choices=["fi", "sv", "en"], help="Language of the messages."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and list the others, instead of importing nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self.import_experiments(options)

    def import_experiments(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        municipalities = set(Municipality.objects.values_list("code", flat=True))
        themes = set(Theme.objects.values_list("slug", flat=True))
        rows = [
            validate(line, raw, municipalities=municipalities, themes=themes)
            for line, raw in read_rows(path)
        ]
        invalid = [row for row in rows if row.errors]
        for row in invalid:
            for error in row.errors:
                self.stderr.write(f"{path.name}:{row.line}: {error}")
        if invalid and not options["skip_invalid"]:
            raise CommandError(
                f"{len(invalid)} of {len(rows)} rows have errors; nothing was imported. "
                "Fix them, or use --skip-invalid to import the valid rows."
            )
        valid = [row for row in rows if not row.errors]
        created = updated = 0
        with transaction.atomic():
            for row in tqdm(valid, desc="Importing", unit="row", disable=None, file=self.stderr):
                _experiment, is_new = experiment_import_row(data=row.data)
                created += is_new
                updated += not is_new
        self.stdout.write(
            f"Imported {created + updated} rows: {created} new, {updated} updated"
            + (f"; skipped {len(invalid)} invalid rows." if invalid else ".")
        )
