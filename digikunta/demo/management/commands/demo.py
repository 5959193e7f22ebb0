"""`digikunta demo`: a realistic demo data set (idempotent); `digikunta demo code EMAIL` prints
the current two-factor code of a demo staff account (development only)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from digikunta.accounts.models import PlatformRole, User
from digikunta.accounts.services import role_grant
from digikunta.demo.experiments import load_demo_experiments
from digikunta.demo.funding import load_demo_funding
from digikunta.organisations.models import MembershipRole, Organisation, OrganisationKind
from digikunta.organisations.services import membership_set

DEMO_DOMAIN = "demo.digikunta.fi"
DEMO_PASSWORD = "Digikunta-demo-2026"  # noqa: S105 (printed to the developer on purpose)
# Base32 secrets of the demo staff accounts' authenticators; demo data only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

# (local part, name, language, platform roles, [(organisation slug, role)])
PEOPLE: list[tuple[str, str, str, list[str], list[tuple[str, str]]]] = [
    ("asukas", "Aino Asukas", "fi", [], []),
    ("invanare", "Ingrid Invånare", "sv", [], []),
    ("kehittaja", "Kalle Kehittäjä", "fi", [], [("kuopio", MembershipRole.MEMBER)]),
    ("utvecklare", "Ulla Utvecklare", "sv", [], [("vaasa", MembershipRole.MEMBER)]),
    ("kuntaadmin", "Kaisa Kunta-Admin", "fi", [], [("kuopio", MembershipRole.ADMIN)]),
    ("koordinaattori", "Kirsi Koordinaattori", "fi", [PlatformRole.COORDINATOR], []),
    ("arvioija", "Arto Arvioija", "fi", [PlatformRole.REVIEWER], []),
    (
        "asiantuntija",
        "Eeva Asiantuntija",
        "fi",
        [PlatformRole.EXPERT],
        [("savon-digiyhdistys", MembershipRole.MEMBER)],
    ),
    ("moderaattori", "Mikko Moderaattori", "fi", [PlatformRole.MODERATOR], []),
]

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "savon-digiyhdistys",
        "kind": OrganisationKind.ASSOCIATION,
        "name": "Savon digiyhdistys ry",
        "name_sv": "",
        "home_municipality_id": "297",
        "description": (
            "Vapaaehtoisten yhdistys, joka opastaa ikäihmisiä digipalveluissa Kuopion seudulla."
        ),
        "description_language": "fi",
    },
    {
        "slug": "kuopion-seurakuntayhtyma",
        "kind": OrganisationKind.PARISH,
        "name": "Kuopion ev.lut. seurakuntayhtymä",
        "name_sv": "",
        "home_municipality_id": "297",
        "description": "Seurakunnat ovat mukana kuntalaisten kohtaamispaikkojen kokeiluissa.",
        "description_language": "fi",
    },
    {
        "slug": "vasa-digiforening",
        "kind": OrganisationKind.ASSOCIATION,
        "name": "Vasa digiförening rf",
        "name_sv": "Vasa digiförening rf",
        "home_municipality_id": "905",
        "description": (
            "Föreningen hjälper invånare i Vasa att använda kommunens digitala tjänster."
        ),
        "description_language": "sv",
    },
    {
        "slug": "ita-suomen-yliopisto",
        "kind": OrganisationKind.UNIVERSITY,
        "name": "Itä-Suomen yliopisto",
        "name_sv": "Östra Finlands universitet",
        "home_municipality_id": "297",
        "description": "Tutkimusyhteistyö kokeilujen arvioinnissa.",
        "description_language": "fi",
    },
    {
        "slug": "tilapalvelu-oy",
        "kind": OrganisationKind.COMPANY,
        "name": "Tilapalvelu Oy",
        "name_sv": "",
        "home_municipality_id": "091",
        "business_id": "1572860-0",
        "description": "Tilavarausjärjestelmä, kulunvalvonta ja maksaminen yhdessä palvelussa.",
        "description_language": "fi",
    },
]


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


class Command(BaseCommand):
    help = "Load the demo data set (idempotent), or print a demo account's current 2FA code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", default="load", choices=["load", "code"])
        parser.add_argument("email", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Demo data is for development only (DEBUG=1): its password is public."
            )
        if options["action"] == "code":
            self.print_code(options["email"] or "")
            return
        with transaction.atomic():
            created = self.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new people)."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for local, name, _lang, roles, memberships in PEOPLE:
            what = (
                ", ".join([*roles, *(f"{role} of {slug}" for slug, role in memberships)])
                or "resident"
            )
            self.stdout.write(f"  {local + '@' + DEMO_DOMAIN:<36} {name:<24} {what}")
        self.stdout.write(
            "Staff accounts use two-factor authentication; the current code: "
            "DEBUG=1 .venv/bin/digikunta demo code EMAIL"
        )

    def load(self) -> int:
        for data in ORGANISATIONS:
            fields = {k: v for k, v in data.items() if k != "slug"}
            Organisation.objects.update_or_create(slug=data["slug"], defaults=fields)
        created = 0
        for local, name, language, roles, memberships in PEOPLE:
            email = f"{local}@{DEMO_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, name=name, language=language)
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                created += 1
            for role in roles:
                role_grant(user=user, role=role)
            for slug, role in memberships:
                organisation = Organisation.objects.get(slug=slug)
                membership_set(organisation=organisation, user=user, role=role, by=user)
            needs_2fa = any(r != PlatformRole.EXPERT for r in roles) or any(
                r == MembershipRole.ADMIN for _s, r in memberships
            )
            if (
                needs_2fa
                and not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists()
            ):
                TOTP.activate(user, DEMO_TOTP_SECRET)
                RecoveryCodes.activate(user)
        load_demo_experiments(by=User.objects.get(email=f"kehittaja@{DEMO_DOMAIN}"))
        load_demo_funding(
            coordinator=User.objects.get(email=f"koordinaattori@{DEMO_DOMAIN}"),
            applicant=User.objects.get(email=f"kehittaja@{DEMO_DOMAIN}"),
        )
        # The founder of each demo organisation is its first member, so it has an admin.
        admin = User.objects.get(email=f"kuntaadmin@{DEMO_DOMAIN}")
        for data in ORGANISATIONS:
            organisation = Organisation.objects.get(slug=data["slug"])
            if not organisation.memberships.filter(role=MembershipRole.ADMIN).exists():
                membership_set(
                    organisation=organisation, user=admin, role=MembershipRole.ADMIN, by=admin
                )
        return created

    def print_code(self, email: str) -> None:
        if not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError(f"Only demo accounts (@{DEMO_DOMAIN}) have a known secret.")
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
