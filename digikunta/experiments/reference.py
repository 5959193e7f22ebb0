"""Reference data of experiments: themes, target groups and life events (idempotent loader).

Pure functions over model classes, shared by the data migration and `load_reference_data`.
"""

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# slug, fi, sv, en
THEMES = [
    (
        "participation",
        "Osallisuus ja demokratia",
        "Delaktighet och demokrati",
        "Participation and democracy",
    ),
    ("e-services", "Sähköinen asiointi", "E-tjänster", "Digital services"),
    ("wellbeing", "Hyvinvointi ja terveys", "Välfärd och hälsa", "Wellbeing and health"),
    ("education", "Kasvatus ja koulutus", "Fostran och utbildning", "Education"),
    ("culture-leisure", "Kulttuuri ja vapaa-aika", "Kultur och fritid", "Culture and leisure"),
    ("mobility", "Liikenne ja liikkuminen", "Trafik och mobilitet", "Transport and mobility"),
    ("facilities", "Tilat ja asuminen", "Lokaler och boende", "Facilities and housing"),
    ("vitality", "Elinvoima ja yritykset", "Livskraft och företag", "Vitality and business"),
    ("environment", "Ympäristö ja ilmasto", "Miljö och klimat", "Environment and climate"),
    (
        "data-systems",
        "Tietojärjestelmät ja data",
        "Informationssystem och data",
        "Information systems and data",
    ),
    (
        "management",
        "Johtaminen ja toimintakulttuuri",
        "Ledning och verksamhetskultur",
        "Management and culture",
    ),
    (
        "automation",
        "Automaatio ja tekoäly",
        "Automation och artificiell intelligens",
        "Automation and AI",
    ),
]

TARGET_GROUPS = [
    ("residents", "Kuntalaiset", "Invånare", "Residents"),
    ("summer-residents", "Vapaa-ajan asukkaat", "Fritidsboende", "Summer residents"),
    ("staff", "Henkilöstö", "Personal", "Staff"),
    ("businesses", "Yritykset", "Företag", "Businesses"),
    ("elderly", "Ikäihmiset", "Äldre", "Older people"),
    ("young", "Nuoret", "Unga", "Young people"),
    ("families", "Lapsiperheet", "Barnfamiljer", "Families with children"),
    ("immigrants", "Maahan muuttaneet", "Inflyttade", "Immigrants"),
    ("associations", "Yhdistykset", "Föreningar", "Associations"),
    ("elected-officials", "Luottamushenkilöt", "Förtroendevalda", "Elected officials"),
]


def load_experiment_reference_data(
    theme_model: Any, target_group_model: Any, life_event_model: Any
) -> None:
    # The themes are the coordinators' to manage (views.theme_list): a reload adds the bundled
    # ones that are missing, but never renames, moves or brings back one they changed.
    for position, (slug, fi, sv, en) in enumerate(THEMES):
        theme_model.objects.get_or_create(
            slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": position}
        )
    for position, (slug, fi, sv, en) in enumerate(TARGET_GROUPS):
        target_group_model.objects.update_or_create(
            slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": position}
        )
    with (DATA_DIR / "life_events.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            life_event_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name_fi": row["name_fi"],
                    "name_sv": row["name_sv"],
                    "name_en": row["name_en"],
                    "kind": row["kind"],
                    "is_national_priority": row["tier"] == "national_priority",
                },
            )
