"""`digikunta token create EMAIL [--name NAME]`: a personal API token, alone on its last line."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from digikunta.accounts.services import token_create


class Command(BaseCommand):
    help = "Create a personal API token for a person."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; it is printed once.")
        create.add_argument("email")
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError("No account uses that e-mail address.")
        token, raw = token_create(user=user, name=options["name"])
        self.stderr.write(f"Created token {token.hint}… (store it now: it is not shown again)")
        self.stdout.write(raw)
