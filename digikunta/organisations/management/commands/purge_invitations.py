"""`digikunta purge_invitations`: delete expired invitations to organisations (run daily).

Runs now by default; `--enqueue` queues the task for a worker instead (organisations/tasks.py)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from digikunta.organisations.services import invitations_purge
from digikunta.organisations.tasks import purge_invitations


class Command(BaseCommand):
    help = "Delete invitations to organisations that have expired, answered or not."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = purge_invitations.enqueue()
            self.stdout.write(f"Queued purge_invitations as task {result.id}.")
            return
        done = invitations_purge()
        self.stdout.write(f"Deleted {done} expired invitations.")
