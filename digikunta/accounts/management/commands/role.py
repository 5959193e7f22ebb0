"""`digikunta role grant|revoke EMAIL ROLE`: platform roles, audited."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.services import role_grant, role_revoke


class Command(BaseCommand):
    help = "Grant or revoke a platform role (coordinator, reviewer, expert, moderator)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["grant", "revoke"])
        parser.add_argument("email")
        parser.add_argument("role", choices=PlatformRole.values)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError("No account uses that e-mail address.")
        if options["action"] == "grant":
            role_grant(user=user, role=options["role"])
            self.stdout.write(f"Granted {options['role']}.")
        elif role_revoke(user=user, role=options["role"]):
            self.stdout.write(f"Revoked {options['role']}.")
        else:
            self.stdout.write("The person did not hold that role.")
