"""`digikunta demo`: a demo data set that feels real (idempotent), then the logins;
`digikunta demo logins` lists every demo login; `digikunta demo code EMAIL` prints the current
two-factor code of a demo staff account. Development only (DEBUG=1)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from digikunta.core import pagecache
from digikunta.demo.experiments import load_demo_experiments
from digikunta.demo.funding import load_demo_funding
from digikunta.demo.months import load_demo_months
from digikunta.demo.participation import load_demo_participation
from digikunta.demo.people import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    LEADS,
    PEOPLE,
    Person,
    current_code,
    load_people,
)
from digikunta.experiments import services as experiment_services
from digikunta.experiments.models import Experiment
from digikunta.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Load the demo data set (idempotent) and print the logins; or list every login, or print a demo account's current 2FA code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", default="load", choices=["load", "logins", "code"])
        parser.add_argument("email", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Demo data is for development only (DEBUG=1): its password is public."
            )
        if options["action"] == "code":
            self.print_code(options["email"] or "")
            return
        if options["action"] == "logins":
            self.print_logins([*PEOPLE, *(p for p in LEADS.values() if p not in PEOPLE)])
            return
        with transaction.atomic():
            created = self.load()
        # The demo writes some dates past the services (QuerySet.update): no page may keep
        # what it showed before.
        pagecache.invalidate()
        if options["verbosity"] > 1:
            self.stdout.write(f"Demo data ready ({created} new people).")
        self.print_logins(PEOPLE)
        self.stdout.write(
            f"  … and an experiment lead in each of the {len(LEADS)} demo municipalities: "
            "DEBUG=1 .venv/bin/digikunta demo logins"
        )
        self.stdout.write(
            "Staff accounts use two-factor authentication; the current code: "
            "DEBUG=1 .venv/bin/digikunta demo code EMAIL"
        )

    def load(self) -> int:
        people, created = load_people()
        leads = {code: people[person.local] for code, person in LEADS.items()}
        experiments = load_demo_experiments(leads)
        self.follows(people, experiments)
        load_demo_funding(
            coordinator=people["koordinaattori"],
            reviewers=[people["arvioija"], people["bedomare"]],
            applicants=leads,
        )
        load_demo_months(coordinator=people["koordinaattori"])
        load_demo_participation(people=people)
        return created

    def follows(self, people: dict[str, Any], experiments: dict[str, Any]) -> None:
        """Residents follow their municipality and a few experiments (Oma Digikunta)."""
        for local, municipality, slugs in [
            (
                "asukas",
                "297",
                ["kirjaston-tilavaraus-ja-ovenavaus", "katuvalojen-vikailmoitus-kartalta"],
            ),
            (
                "invanare",
                "905",
                ["flersprakig-radgivning-for-inflyttade", "digistod-pa-biblioteket-narpes"],
            ),
        ]:
            user = people[local]
            place = Municipality.objects.get(code=municipality)
            experiment_services.follow_set(user=user, following=True, municipality=place)
            for experiment in Experiment.objects.filter(slug__in=slugs):
                experiment_services.follow_set(user=user, following=True, experiment=experiment)

    def print_logins(self, people: list[Person]) -> None:
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in people:
            self.stdout.write(f"  {person.email:<40} {person.name:<24} {person.described}")

    def print_code(self, email: str) -> None:
        if not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError(f"Only demo accounts (@{DEMO_DOMAIN}) have a known secret.")
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
