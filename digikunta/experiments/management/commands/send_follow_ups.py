"""`digikunta send_follow_ups`: ask leads whether the change lasted, 6 and 12 months after the
end (run daily, e.g. from a systemd timer or cron; safe to run twice).

Runs now by default (the messages themselves are queued for a worker); `--enqueue` queues the
whole job instead (experiments/tasks.py)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from digikunta.experiments.services import follow_ups_send_due
from digikunta.experiments.tasks import send_follow_ups


class Command(BaseCommand):
    help = "Send the follow-up questions that are due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_follow_ups.enqueue()
            self.stdout.write(f"Queued send_follow_ups as task {result.id}.")
            return
        done = follow_ups_send_due()
        self.stdout.write(f"Sent {done} follow-up questions.")
