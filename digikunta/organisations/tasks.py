"""Periodic jobs of organisations, as tasks (core/tasks.py); `digikunta purge_invitations` runs
or queues them."""

from digikunta.core.tasks import task_with_retries
from digikunta.organisations.services import invitations_purge


@task_with_retries()
def purge_invitations() -> int:
    """Task: delete expired invitations."""
    return invitations_purge()
