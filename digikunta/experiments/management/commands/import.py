"""`digikunta import experiments FILE [--skip-invalid]`: JSON Lines or CSV, all or nothing.

Every row is checked first; then the rows are written in short transactions under the
single-import lock, and a failure or interruption takes back what was written (importing.py).
"""

from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from digikunta.experiments.importing import (
    ImportBusy,
    check_moves,
    import_run,
    read_rows,
    sigterm_interrupts,
    validate,
    write_rows,
)
from digikunta.experiments.models import Theme
from digikunta.municipalities.models import Municipality

# Exit statuses besides 1 (bad rows): try again later (sysexits EX_TEMPFAIL), interrupted.
EXIT_BUSY = 75
EXIT_INTERRUPTED = 130


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
        themes = set(Theme.objects.in_use().values_list("slug", flat=True))
        retired = set(Theme.objects.filter(is_retired=True).values_list("slug", flat=True))
        rows = [
            validate(line, raw, municipalities=municipalities, themes=themes, retired=retired)
            for line, raw in read_rows(path)
        ]
        check_moves(rows)  # a re-import moves a stage only as the lifecycle allows
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
        try:
            with sigterm_interrupts(), import_run("experiments", file_name=path.name) as run:
                if run.took_over is not None:
                    self.stderr.write(self.taken_over_message(run.took_over.started_at))
                with tqdm(
                    total=len(valid), desc="Importing", unit="row", disable=None, file=self.stderr
                ) as progress:
                    result = write_rows(valid, run=run, after_batch=progress.update)
        except ImportBusy as error:
            raise CommandError(str(error), returncode=EXIT_BUSY) from None
        except KeyboardInterrupt:
            raise CommandError(
                _("The import was stopped; what it had written was taken back."),
                returncode=EXIT_INTERRUPTED,
            ) from None
        self.stdout.write(
            f"Imported {result.created + result.updated} rows: {result.created} new, "
            f"{result.updated} updated"
            + (f"; skipped {len(invalid)} invalid rows." if invalid else ".")
        )
        if options["verbosity"] >= 2:
            self.stdout.write(
                f"The longest batch: {result.longest_batch:.2f} s "
                f"({result.longest_batch_rows} rows)."
            )

    def taken_over_message(self, started_at: datetime) -> str:
        return _(
            "An import started at %(started)s had stopped without ending; what it had written "
            "was taken back before this import."
        ) % {
            "started": formats.date_format(timezone.localtime(started_at), "SHORT_DATETIME_FORMAT")
        }
