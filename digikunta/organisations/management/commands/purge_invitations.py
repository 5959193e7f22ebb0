"""`digikunta purge_invitations`: delete expired invitations to organisations (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from digikunta.organisations.services import invitations_purge


class Command(BaseCommand):
    help = "Delete invitations to organisations that have expired, answered or not."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = invitations_purge()
        self.stdout.write(f"Deleted {deleted} expired invitations.")
