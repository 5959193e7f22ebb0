"""The search index: analysed terms of any object, one row per object."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class SearchEntry(models.Model):
    """Index terms of one object (see analysis.analyse), kept in sync by services.index_object.

    The terms are derived data and hold nothing personal that the object itself does not hold;
    the full-text index over ``title_terms`` and ``body_terms`` comes from migration 0002
    (FTS5 on SQLite, a GIN expression index on PostgreSQL).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=5)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Its index also serves the lookups by (content_type, object_id).
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_search_entry_per_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class EngineChange(models.Model):
    """An object whose document in a search-engine collection (engine.py) is out of date.

    Written in the same transaction as the change itself, deleted once the index has it: the
    rows still here are exactly what the index lacks. Holds no personal data.
    """

    collection = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["collection", "id"], name="search_enginechange_pending")]

    def __str__(self) -> str:
        return f"{self.collection}:{self.object_id}"
