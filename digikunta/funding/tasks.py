"""Periodic jobs of the accelerator, as tasks (core/tasks.py); `digikunta send_report_reminders`
runs or queues them."""

from digikunta.core.tasks import task_with_retries
from digikunta.funding.services import report_reminders_send_due


@task_with_retries()
def send_report_reminders() -> int:
    """Task: queue the final-report reminders that are due (safe to run twice)."""
    return report_reminders_send_due()
