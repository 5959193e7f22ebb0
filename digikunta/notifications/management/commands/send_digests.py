"""`digikunta send_digests`: queue the daily digests of notifications (run daily, e.g. from
`enqueue_daily`'s systemd timer or cron; safe to run twice).

Runs the scheduler now by default: it queues one task per batch of 500 people for the
workers, who write and send the digests. `--enqueue` queues the scheduler itself instead."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from digikunta.notifications.tasks import digests_queue, send_digests


class Command(BaseCommand):
    help = "Queue the daily digests of notifications, one task per batch of people."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_digests.enqueue()
            self.stdout.write(f"Queued send_digests as task {result.id}.")
            return
        batches = digests_queue()
        self.stdout.write(f"Queued {batches} digest batches.")
