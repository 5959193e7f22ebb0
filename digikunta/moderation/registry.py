"""The kinds of content that can be reported and hidden (ADR 0020).

Moderation knows the apps above it only through this registry, so it never imports them
(docs/architecture.md, layering rules). An app whose model mixes in ``models.Moderated``
registers it from its ``AppConfig.ready()``::

    registry.register(
        Comment,
        author=lambda comment: comment.author,
        title=lambda comment: gettext("Comment on %(title)s") % {"title": comment.idea.title},
        url=lambda comment: comment.get_absolute_url(),
        on_change=comment_reindex,  # after a hide or restore: search, caches
        visible_to=lambda user, comment: can(user, "view", comment.idea),
        related=("author", "idea"),
    )

and filters its lists, search text, exports and API with ``models.VISIBLE`` (or a manager
from ``models.ModeratedQuerySet``). The kind ("comment") names the content in addresses
(``/moderation/report/comment/12/``) and is also the kind of ``services.check_may_post``, whose
rate limits count the model's rows by ``author_field`` and ``created_field``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from digikunta.moderation.models import Moderated

Obj = Any  # an instance of a registered model


def _everyone(user: Any, obj: Obj) -> bool:
    return True


def _no_text(obj: Obj) -> str:
    return ""


@dataclass(frozen=True)
class Entry:
    """How moderation reads one kind of content. Every callable takes an instance."""

    model: type[Moderated]
    kind: str
    author: Callable[[Obj], Any]  # a User or None
    title: Callable[[Obj], str]  # what it is, for the report form and the queue
    url: Callable[[Obj], str]  # where it shows, with its place in a thread
    on_change: Callable[[Obj], None] | None
    text: Callable[[Obj], str]  # what the moderators read (shown as plain text)
    visible_to: Callable[[Any, Obj], bool]  # may this person see it (and so report it)?
    related: tuple[str, ...]  # select_related of what the callables read
    author_field: str  # the rate limits count rows by author and time
    created_field: str

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


_by_model: dict[type[models.Model], Entry] = {}
_by_kind: dict[str, Entry] = {}


def register(
    model: type[Moderated],
    *,
    author: Callable[[Obj], Any],
    title: Callable[[Obj], str],
    url: Callable[[Obj], str],
    on_change: Callable[[Obj], None] | None = None,
    kind: str | None = None,
    text: Callable[[Obj], str] | None = None,
    visible_to: Callable[[Any, Obj], bool] | None = None,
    related: Iterable[str] = (),
    author_field: str = "author",
    created_field: str = "created_at",
) -> None:
    """Make ``model`` reportable and hideable. ``on_change(obj)`` runs after a hide or a
    restore is written, inside its transaction, so that the owning app's search entries commit
    or roll back with it (index_object's rule); page-cache keys registered in core.pagecache
    are bumped after the commit by themselves. ``kind`` defaults to the model's name
    ("comment"). ``visible_to(user, obj)`` defaults to everyone."""
    if not issubclass(model, Moderated):
        raise ImproperlyConfigured(f"{model.__name__} must mix in moderation.models.Moderated.")
    kind = kind or model._meta.model_name or model.__name__.lower()
    existing = _by_kind.get(kind)
    if existing is not None and existing.model is not model:
        raise ImproperlyConfigured(f"The moderation kind {kind!r} is taken by {existing.model}.")
    entry = Entry(
        model=model,
        kind=kind,
        author=author,
        title=title,
        url=url,
        on_change=on_change,
        text=text or _no_text,
        visible_to=visible_to or _everyone,
        related=tuple(related),
        author_field=author_field,
        created_field=created_field,
    )
    _by_model[model] = entry
    _by_kind[kind] = entry


def entry_for(obj_or_model: Obj) -> Entry | None:
    """The entry of an instance or a model, or None when it is not registered."""
    model: type[models.Model] = (
        obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    )
    concrete = model._meta.concrete_model
    return _by_model.get(concrete) if concrete is not None else None


def entry_of_kind(kind: str) -> Entry | None:
    return _by_kind.get(kind)


def entries() -> list[Entry]:
    return list(_by_kind.values())
