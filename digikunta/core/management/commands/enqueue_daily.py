"""`digikunta enqueue_daily`: queue the daily jobs (DAILY_TASKS) for the workers; run it once a
day from a systemd timer or cron. Each job is safe to run twice."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Queue the daily jobs (follow-ups, reminders, purges, pruning) for the workers."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in settings.DAILY_TASKS:
            result = import_string(path).enqueue()
            self.stdout.write(f"Queued {path.rsplit('.', 1)[-1]} as task {result.id}.")
