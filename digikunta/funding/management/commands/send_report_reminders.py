"""`digikunta send_report_reminders`: remind funded experiments of their final report a week
before it is due and once it is overdue (run daily; safe to run twice).

Runs now by default (the messages themselves are queued for a worker); `--enqueue` queues the
whole job instead (funding/tasks.py)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from digikunta.funding.services import report_reminders_send_due
from digikunta.funding.tasks import send_report_reminders


class Command(BaseCommand):
    help = "Send the final-report reminders that are due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_report_reminders.enqueue()
            self.stdout.write(f"Queued send_report_reminders as task {result.id}.")
            return
        done = report_reminders_send_due()
        self.stdout.write(f"Sent {done} report reminders.")
