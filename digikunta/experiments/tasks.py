"""Periodic jobs of experiments, as tasks (core/tasks.py); `digikunta send_follow_ups` runs or
queues them."""

from digikunta.core.tasks import task_with_retries
from digikunta.experiments.services import follow_ups_send_due


@task_with_retries()
def send_follow_ups() -> int:
    """Task: queue the follow-up questions that are due (safe to run twice)."""
    return follow_ups_send_due()
