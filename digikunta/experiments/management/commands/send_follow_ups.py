"""`digikunta send_follow_ups`: ask leads whether the change lasted, 6 and 12 months after the
end (run daily, e.g. from a systemd timer or cron; safe to run twice)."""

from typing import Any

from django.core.management.base import BaseCommand

from digikunta.experiments.services import follow_ups_send_due


class Command(BaseCommand):
    help = "Send the follow-up questions that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = follow_ups_send_due()
        self.stdout.write(f"Sent {sent} follow-up questions.")
