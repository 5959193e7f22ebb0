"""The demo's people and organisations: the personas whose logins `digikunta demo` prints, and
an experiment lead in each demo municipality, who moves its experiments through their stages."""

import functools
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.hashers import make_password

from digikunta.accounts.models import PlatformRole, User
from digikunta.accounts.services import role_grant
from digikunta.organisations.models import MembershipRole, Organisation, OrganisationKind
from digikunta.organisations.services import membership_set

DEMO_DOMAIN = "demo.digikunta.fi"
DEMO_PASSWORD = "Digikunta-demo-2026"  # noqa: S105 (printed to the developer on purpose)
# Base32 secret of the demo staff accounts' authenticators; demo data only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


@dataclass(frozen=True)
class Person:
    local: str  # the address before @demo.digikunta.fi
    name: str
    language: str
    roles: tuple[str, ...] = ()
    # (organisation slug, or "municipality:<code>" for a municipality's own organisation, role)
    memberships: tuple[tuple[str, str], ...] = field(default=())

    @property
    def email(self) -> str:
        return f"{self.local}@{DEMO_DOMAIN}"

    @property
    def described(self) -> str:
        what = [*self.roles, *(f"{role} of {where}" for where, role in self.memberships)]
        return ", ".join(what) or "resident"


def _lead(local: str, name: str, language: str, code: str) -> Person:
    return Person(local, name, language, memberships=((f"municipality:{code}", "member"),))


# The personas: one of each kind of user, printed by `digikunta demo`.
PEOPLE: list[Person] = [
    Person("asukas", "Aino Asukas", "fi"),
    Person("invanare", "Ingrid Invånare", "sv"),
    Person("kehittaja", "Kalle Kehittäjä", "fi", memberships=(("kuopio", MembershipRole.MEMBER),)),
    Person("utvecklare", "Ulla Utvecklare", "sv", memberships=(("vaasa", MembershipRole.MEMBER),)),
    Person(
        "kuntaadmin", "Kaisa Kunta-Admin", "fi", memberships=(("kuopio", MembershipRole.ADMIN),)
    ),
    Person("koordinaattori", "Kirsi Koordinaattori", "fi", roles=(PlatformRole.COORDINATOR,)),
    Person("arvioija", "Arto Arvioija", "fi", roles=(PlatformRole.REVIEWER,)),
    Person("bedomare", "Bodil Bedömare", "sv", roles=(PlatformRole.REVIEWER,)),
    Person(
        "asiantuntija",
        "Eeva Asiantuntija",
        "fi",
        roles=(PlatformRole.EXPERT,),
        memberships=(("savon-digiyhdistys", MembershipRole.MEMBER),),
    ),
    Person("moderaattori", "Mikko Moderaattori", "fi", roles=(PlatformRole.MODERATOR,)),
]

# The experiment lead of each demo municipality (Kuopio's and Vaasa's are personas above).
LEADS: dict[str, Person] = {
    "091": _lead("sanna.virtanen", "Sanna Virtanen", "fi", "091"),
    "837": _lead("jukka.makinen", "Jukka Mäkinen", "fi", "837"),
    "564": _lead("riikka.heikkinen", "Riikka Heikkinen", "fi", "564"),
    "853": _lead("mikael.lindqvist", "Mikael Lindqvist", "sv", "853"),
    "297": PEOPLE[2],
    "398": _lead("tiina.koskinen", "Tiina Koskinen", "fi", "398"),
    "905": PEOPLE[3],
    "698": _lead("pekka.lehtonen", "Pekka Lehtonen", "fi", "698"),
    "638": _lead("annika.holmstrom", "Annika Holmström", "sv", "638"),
    "491": _lead("heidi.laine", "Heidi Laine", "fi", "491"),
    "740": _lead("ville.hamalainen", "Ville Hämäläinen", "fi", "740"),
    "710": _lead("johan.sundstrom", "Johan Sundström", "sv", "710"),
    "598": _lead("maria.nyman", "Maria Nyman", "sv", "598"),
    "478": _lead("elin.eriksson", "Elin Eriksson", "sv", "478"),
    "765": _lead("jari.kinnunen", "Jari Kinnunen", "fi", "765"),
    "545": _lead("anders.back", "Anders Back", "sv", "545"),
    "507": _lead("paivi.hyvonen", "Päivi Hyvönen", "fi", "507"),
    "620": _lead("marja.kemppainen", "Marja Kemppainen", "fi", "620"),
    "892": _lead("sari.nieminen", "Sari Nieminen", "fi", "892"),
    "890": _lead("aslak.valle", "Aslak Valle", "fi", "890"),
}

ORGANISATIONS: list[dict[str, object]] = [
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
    {
        "slug": "kesamokkilaiset-ry",
        "kind": OrganisationKind.ASSOCIATION,
        "name": "Mäntyharjun kesämökkiläiset ry",
        "name_sv": "",
        "home_municipality_id": "507",
        "description": "Vapaa-ajan asukkaiden yhdistys: tiedotus, talkoot ja yhteys kuntaan.",
        "description_language": "fi",
    },
    {
        "slug": "novia",
        "kind": OrganisationKind.UNIVERSITY,
        "name": "Yrkeshögskolan Novia",
        "name_sv": "Yrkeshögskolan Novia",
        "home_municipality_id": "905",
        "description": "Yrkeshögskolan utvärderar försök i svenskspråkiga kommuner i Österbotten.",
        "description_language": "sv",
    },
]


def current_code(secret: str) -> str:
    """The TOTP code of ``secret`` now (demo staff accounts and tests)."""
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _organisation(where: str) -> Organisation:
    if where.startswith("municipality:"):
        return Organisation.objects.get(municipality_id=where.split(":", 1)[1])
    return Organisation.objects.get(slug=where)


@functools.cache
def _password_hash() -> str:
    """The demo password hashed once: Argon2 takes most of a second per hash on purpose, and
    the password is public anyway."""
    return make_password(DEMO_PASSWORD)


def _person(person: Person) -> tuple[User, bool]:
    user = User.objects.filter(email=person.email).first()
    if user is not None:
        return user, False
    user = User(email=person.email, name=person.name, language=person.language)
    user.password = _password_hash()
    user.save()
    EmailAddress.objects.create(user=user, email=person.email, verified=True, primary=True)
    return user, True


def load_people() -> tuple[dict[str, User], int]:
    """The demo organisations and people, by local part; and how many people are new."""
    for data in ORGANISATIONS:
        fields = {k: v for k, v in data.items() if k != "slug"}
        Organisation.objects.update_or_create(slug=data["slug"], defaults=fields)
    people: dict[str, User] = {}
    created = 0
    for person in [*PEOPLE, *(p for p in LEADS.values() if p not in PEOPLE)]:
        user, made = _person(person)
        created += made
        people[person.local] = user
        for role in person.roles:
            role_grant(user=user, role=role)
        for where, role in person.memberships:
            membership_set(organisation=_organisation(where), user=user, role=role, by=user)
        needs_2fa = any(r != PlatformRole.EXPERT for r in person.roles) or any(
            r == MembershipRole.ADMIN for _where, r in person.memberships
        )
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if needs_2fa and not has_totp:
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
    # The founder of each demo organisation is its first member, so it has an administrator.
    admin = people["kuntaadmin"]
    for data in ORGANISATIONS:
        organisation = Organisation.objects.get(slug=data["slug"])
        if not organisation.memberships.filter(role=MembershipRole.ADMIN).exists():
            membership_set(
                organisation=organisation, user=admin, role=MembershipRole.ADMIN, by=admin
            )
    return people, created
