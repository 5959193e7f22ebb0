"""The case bank's collection in the search engine (search/engine.py, ADR 0014): what of each
experiment it holds, and which writes change that."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType

from digikunta.experiments.models import Experiment, Need, Visibility
from digikunta.experiments.selectors import readers
from digikunta.search import engine
from digikunta.search.models import SearchEntry

NAME = "experiments"
# Past this the newest-first key would overflow: such a date sorts with the newest.
_LAST_MICROSECOND = 4_000_000_000_000_000
_CHUNK = 2000


def order_key(updated_at: datetime, pk: int) -> int:
    """Newest change first, as the database orders the listing (-updated_at, -pk): the
    microsecond, then the id's last three digits for rows written in the same one."""
    micro = min(int(updated_at.timestamp() * 1_000_000), _LAST_MICROSECOND)
    return micro * 1000 + pk % 1000


def _grouped(rows: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for experiment_id, value in rows:
        grouped[experiment_id].append(value)
    return grouped


def _documents(ids: Sequence[int] | None) -> Iterator[dict[str, Any]]:
    experiments = Experiment.objects.all() if ids is None else Experiment.objects.filter(pk__in=ids)
    pks = list(experiments.order_by("pk").values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(Experiment)
    places = Experiment.municipalities.through.objects
    themes = Experiment.themes.through.objects
    groups = Experiment.target_groups.through.objects
    for start in range(0, len(pks), _CHUNK):
        chunk = pks[start : start + _CHUNK]
        rows = Experiment.objects.filter(pk__in=chunk).values_list(
            "pk", "visibility", "owner_id", "status", "outcome", "starts_on", "created_at",
            "updated_at",
        )  # fmt: skip
        where = {"experiment_id__in": chunk}
        municipalities = places.filter(**where).values_list(
            "experiment_id", "municipality_id", "municipality__region_id"
        )
        municipality_of: dict[int, list[int]] = defaultdict(list)
        region_of: dict[int, list[int]] = defaultdict(list)
        for experiment_id, municipality_id, region_id in municipalities:
            municipality_of[experiment_id].append(municipality_id)
            if region_id:
                region_of[experiment_id].append(region_id)
        theme_of = _grouped(themes.filter(**where).values_list("experiment_id", "theme__slug"))
        group_of = _grouped(groups.filter(**where).values_list("experiment_id", "targetgroup_id"))
        need_of = _grouped(Need.objects.filter(**where).values_list("experiment_id", "kind"))
        text_of = {
            object_id: (title, body)
            for object_id, title, body in SearchEntry.objects.filter(
                content_type_id=content_type.pk, object_id__in=chunk
            ).values_list("object_id", "title_terms", "body_terms")
        }
        for pk, visibility, owner_id, status, outcome, starts_on, created_at, updated_at in rows:
            title, body = text_of.get(pk, ("", ""))
            yield {
                "id": pk,
                "title": title,
                "body": body,
                "order": order_key(updated_at, pk),
                "private": visibility != Visibility.PUBLIC,
                "reader": readers(visibility, owner_id),  # who sees it if private
                "owner": str(owner_id),
                "status": status,
                "outcome": outcome,
                "year": str((starts_on or created_at).year),
                "municipality": municipality_of.get(pk, []),
                "region": region_of.get(pk, []),
                "theme": theme_of.get(pk, []),
                "target_group": group_of.get(pk, []),
                "need": need_of.get(pk, []),
            }


COLLECTION = engine.Collection(
    name=NAME,
    model=Experiment,
    keywords=(
        "reader",
        "owner",
        "status",
        "outcome",
        "year",
        "municipality",
        "region",
        "theme",
        "target_group",
        "need",
    ),  # fmt: skip
    facets=("status", "outcome"),
    documents=_documents,
)


def connect() -> None:
    """Register the collection and the writes that change its documents."""
    engine.register(COLLECTION)
    engine.track(NAME, Experiment, lambda experiment: [experiment.pk])
    engine.track(NAME, Need, lambda need: [need.experiment_id])

    def entry_ids(entry: SearchEntry) -> list[int]:
        # ContentType's own cache, not one of ours: a test database flushed and filled again
        # gives the content types new ids, and ContentType forgets the old ones with it.
        experiment = ContentType.objects.get_for_model(Experiment).pk
        return [entry.object_id] if entry.content_type_id == experiment else []

    engine.track(NAME, SearchEntry, entry_ids)
    for relation in ("municipalities", "themes", "target_groups"):
        engine.track_many_to_many(NAME, getattr(Experiment, relation).through)
