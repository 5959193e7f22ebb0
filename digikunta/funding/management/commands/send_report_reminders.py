"""`digikunta send_report_reminders`: remind funded experiments of their final report a week
before it is due and once it is overdue (run daily; safe to run twice)."""

from typing import Any

from django.core.management.base import BaseCommand

from digikunta.funding.services import report_reminders_send_due


class Command(BaseCommand):
    help = "Send the final-report reminders that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = report_reminders_send_due()
        self.stdout.write(f"Sent {sent} report reminders.")
