"""Writes to the search index: index, remove and reindex objects of any model."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from digikunta.search import engine
from digikunta.search.analysis import analyse, language_code
from digikunta.search.models import SearchEntry

M = TypeVar("M", bound=models.Model)

# Bodies are cut before analysis: PostgreSQL refuses a tsvector over 1 MB.
MAX_TEXT_LENGTH = 100_000


def _terms(text: str, language: str) -> str:
    return " ".join(analyse(text[:MAX_TEXT_LENGTH], language))


def _entry_fields(title: str, body: str, language: str) -> dict[str, Any]:
    return {
        "language": language_code(language),
        "title_terms": _terms(title, language),
        "body_terms": _terms(body, language),
        "updated_at": timezone.now(),
    }


def index_object(obj: models.Model, *, title: str, body: str, language: str) -> None:
    """Store the search terms of ``obj``'s title and body, analysed in ``language``.

    Call it from the model's services after every write that changes the indexed text, inside
    their transaction so the index commits with the object. ``language`` is "fi", "sv" or "en";
    the object's primary key must be an integer.
    """
    SearchEntry.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults=_entry_fields(title, body, language),
    )


def remove_object(obj: models.Model, *, using: str | None = None) -> None:
    """Remove ``obj`` from the index, e.g. when it is deleted or should no longer be found."""
    if not isinstance(obj.pk, int):
        return
    SearchEntry.objects.using(using).filter(
        content_type=ContentType.objects.db_manager(using).get_for_model(obj), object_id=obj.pk
    ).delete()


def reindex(
    queryset: models.QuerySet[M],
    to_text: Callable[[M], tuple[str, str, str] | None],
    batch_size: int = 500,
) -> int:
    """Index every object of ``queryset`` in batches; returns how many were indexed.

    ``to_text(obj)`` gives ``(title, body, language)``, or None to take the object out of the
    index (a draft, a hidden item). Each batch is one upsert, so a data load or a command can
    rebuild a model's index quickly; objects outside ``queryset`` are left alone.
    """
    content_type = ContentType.objects.get_for_model(queryset.model)
    indexed = 0
    batch: list[M] = []
    for obj in queryset.order_by("pk").iterator(chunk_size=batch_size):
        batch.append(obj)
        if len(batch) >= batch_size:
            indexed += _index_batch(content_type, batch, to_text)
            batch = []
    if batch:
        indexed += _index_batch(content_type, batch, to_text)
    return indexed


def index_many(objects: Iterable[M], to_text: Callable[[M], tuple[str, str, str] | None]) -> int:
    """Index ``objects`` (of one model) in one upsert; returns how many were indexed.

    For services that write many objects at once (the import): call it inside their
    transaction, after the writes, with a queryset that prefetches what ``to_text`` reads. The
    full-text index follows by itself: the FTS5 triggers on SQLite, the stored tsvector column
    on PostgreSQL, both row by row inside the same statement.
    """
    objects = list(objects)
    if not objects:
        return 0
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    return _index_batch(content_type, objects, to_text)


def _index_batch(
    content_type: ContentType,
    objects: Iterable[M],
    to_text: Callable[[M], tuple[str, str, str] | None],
) -> int:
    objects = list(objects)
    entries = []
    removed = []
    for obj in objects:
        text = to_text(obj)
        if text is None:
            removed.append(obj.pk)
            continue
        title, body, language = text
        entries.append(
            SearchEntry(
                content_type=content_type,
                object_id=obj.pk,
                **_entry_fields(title, body, language),
            )
        )
    with transaction.atomic():
        if removed:
            SearchEntry.objects.filter(content_type=content_type, object_id__in=removed).delete()
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["content_type", "object_id"],
            update_fields=["language", "title_terms", "body_terms", "updated_at"],
        )
        # Bulk writes send no signals: the search engine learns of them here.
        collection = engine.collection_of(content_type.model_class())  # type: ignore[arg-type]
        if collection is not None:
            engine.changed(collection.name, [obj.pk for obj in objects])
    return len(entries)


def prune(model: type[models.Model]) -> int:
    """Remove the entries of ``model`` whose object no longer exists; returns how many.

    For deletes that sent no signal (raw SQL, ``QuerySet.delete()`` on a model without the
    receiver). Stale entries never match a live object, but they skew ranking statistics.
    """
    content_type = ContentType.objects.get_for_model(model)
    stale = SearchEntry.objects.filter(content_type=content_type).filter(
        ~Q(object_id__in=model._base_manager.values("pk"))
    )
    deleted, _ = stale.delete()
    return deleted
