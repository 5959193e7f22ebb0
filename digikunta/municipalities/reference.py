"""Loading Statistics Finland's municipality and region classification from data/*.csv.

Pure functions over model classes, so that data migrations (historical models) and the
`load_reference_data` command (current models) share one idempotent loader.
"""

import csv
from pathlib import Path
from typing import Any

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip() else None


def _slug(name: str) -> str:
    return slugify(name)  # NFKD folds ä, ö and å


def load_reference_data(
    region_model: Any, municipality_model: Any, organisation_model: Any
) -> dict[str, int]:
    """Create or update every region, municipality and their organisations; returns counts."""
    regions = {}
    for row in read_csv("regions.csv"):
        region, _created = region_model.objects.update_or_create(
            code=row["region_code"],
            defaults={
                "name_fi": row["region_name_fi"],
                "name_sv": row["region_name_sv"],
                "name_en": row["region_name_en"],
                "population": _int_or_none(row["population"]),
            },
        )
        regions[region.code] = region
        organisation_model.objects.update_or_create(
            region=region,
            defaults={
                "kind": "region",
                "name": row["region_name_fi"],
                "name_sv": row["region_name_sv"],
                "slug": f"{_slug(row['region_name_fi'])}-maakunta",
            },
        )
    municipalities = 0
    for row in read_csv("municipalities.csv"):
        municipality, _created = municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "name_en": row["name_en"],
                "region": regions[row["region_code"]],
                "language_status": row["language_status"],
                "group": row["municipality_group"],
                "wellbeing_county_code": row["wellbeing_county_code"],
                "wellbeing_county_name_fi": row["wellbeing_county_name_fi"],
                "population": _int_or_none(row["population"]),
                "population_year": _int_or_none(row["population_year"]),
            },
        )
        organisation_model.objects.update_or_create(
            municipality=municipality,
            defaults={
                "kind": "municipality",
                "name": row["name_fi"],
                "name_sv": row["name_sv"],
                "slug": _slug(row["name_fi"]),
                "home_municipality": municipality,
            },
        )
        municipalities += 1
    return {"regions": len(regions), "municipalities": municipalities}
