"""`digikunta purge_audit`: delete audit events older than AUDIT_RETENTION_DAYS (run daily).

Runs now by default; `--enqueue` queues the task for a worker instead (audit/tasks.py)."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from digikunta.audit.tasks import expired_events_delete, purge_audit


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (AUDIT_RETENTION_DAYS)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = purge_audit.enqueue()
            self.stdout.write(f"Queued purge_audit as task {result.id}.")
            return
        done = expired_events_delete()
        self.stdout.write(
            f"Deleted {done} audit events older than {settings.AUDIT_RETENTION_DAYS} days."
        )
