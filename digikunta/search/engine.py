"""Search, facet filters and counts from a Tantivy index beside the database (ADR 0014).

The database stays the source of truth: every collection's index can be rebuilt from it at
any time (``digikunta search_engine build``), and its readers fetch the rows they show from
the database by primary key, under the same permission filter. The index only says which
ids match, in which order, how many there are and how they fall under the facets: in
milliseconds where the SQL of a ranked, faceted listing takes tens of them (issue 9).

Keeping it in step: a write that changes what a collection holds records the object in
``EngineChange``, inside the write's own transaction (the receivers of ``track`` and, for bulk
writes, ``changed``). Right after the commit, the writing process applies a few changes itself
(so a person sees their own save on the next page, whichever worker serves it), and a task
applies larger batches. Readers look for changes still pending at most once a second
(``RECHECK_SECONDS``), which also catches a write whose own apply failed; an index in memory
(tests) looks on every read. Applying is idempotent: the object's document is rebuilt from the
database as it is then, and its change rows are deleted only after the index has committed.

Each host keeps its index in ``SEARCH_INDEX_DIR`` (one directory per database), written by
one process at a time under a file lock; ``None`` keeps it in memory, per process (tests).
"""

import fcntl
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import tantivy
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import m2m_changed, post_delete, post_save

from digikunta.core.oncommit import AfterCommit, after_commit
from digikunta.search.analysis import QueryWord

logger = logging.getLogger(__name__)

# Part of the index directory's name: a change of any collection's fields starts a new index.
FORMAT = 2
# Title terms weigh ten times body terms, as in the database's own ranking (selectors.py).
TITLE_BOOST = 10.0
# Changes applied per index commit; an import's 50,000 go in a few dozen commits.
BATCH = 2000
# Tantivy's indexing memory: a build's larger, a web worker's few changes at its minimum.
WRITER_HEAP = 50_000_000
APPLY_HEAP = 15_000_000
LONG_PREFIX = 5
# Up to this many values of a field are matched as separate terms, more as one term set.
TERMS_ONE_BY_ONE = 64
# A transaction that changed at most this many objects applies them before its request ends.
APPLY_AT_ONCE = 100
# How often a reader looks for pending changes (one query): writes apply their own at once.
RECHECK_SECONDS = 1.0

DocumentsFunction = Callable[[Sequence[int] | None], Iterator[dict[str, Any]]]


@dataclass(frozen=True)
class Collection:
    """What one model's index holds.

    ``documents(ids)`` yields, for those objects (every object when ``ids`` is None), a dict
    with ``id``, ``title`` and ``body`` (analysed terms, space-separated), ``order`` (an
    integer: the listing's newest-first order), ``private`` (true when only some people may
    see it: ``find``'s ``visible``) and each field of ``keywords`` (a string or a list of
    strings, matched exactly; ``facets`` are counted by ``find``). An object it leaves out is
    not in the index.
    """

    name: str
    model: type[models.Model]
    keywords: tuple[str, ...]
    documents: DocumentsFunction
    facets: tuple[str, ...] = ()

    @property
    def format(self) -> str:
        spec = f"{FORMAT}:{self.name}:{','.join(self.keywords)}"
        return hashlib.sha256(spec.encode()).hexdigest()[:10]


@dataclass
class Found:
    """One page of matches: their ids in order, how many match in all, and facet counts."""

    ids: list[int]
    count: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


_collections: dict[str, Collection] = {}


def register(collection: Collection) -> None:
    _collections[collection.name] = collection


def names() -> list[str]:
    """The registered collections."""
    return sorted(_collections)


def collection_of(model: type[models.Model]) -> Collection | None:
    for collection in _collections.values():
        if collection.model is model:
            return collection
    return None


def enabled() -> bool:
    return getattr(settings, "SEARCH_ENGINE", "tantivy") == "tantivy"


# --- Recording changes -----------------------------------------------------------------------


def changed(collection: str, ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that these objects of ``collection`` changed, in the current transaction.

    The model's receivers (``track``) call it for single writes; bulk writes that send no
    signals (imports, ``bulk_create``) call it themselves.
    """
    from digikunta.search.models import EngineChange

    rows = [EngineChange(collection=collection, object_id=pk) for pk in set(ids) if pk]
    if not rows or collection not in _collections:
        return
    EngineChange.objects.using(using).bulk_create(rows, batch_size=1000)
    after_commit(_Apply, [collection], using)


class _Apply(AfterCommit):
    """After the commit: the changes of each collection the transaction changed, applied at
    once when they are few, else (or when that fails) by a task."""

    def run(self, items: list[str]) -> None:
        from digikunta.search.tasks import apply_engine_changes

        for collection in items:
            index = index_of(collection)
            try:
                if index.ready and not index.pending(more_than=APPLY_AT_ONCE):
                    index.apply(wait=False)  # never behind a build or a task's batch
                    continue
            except BlockingIOError:
                pass  # another writer is at it: the task applies these after it
            except Exception:  # the task retries; readers find the changes within a second
                logger.exception("search index %s: changes left to the task", collection)
            apply_engine_changes.enqueue(collection)


IdsFunction = Callable[[Any], Iterable[int]]


def track(collection: str, model: type[models.Model], ids: IdsFunction) -> None:
    """Record ``ids(instance)`` of ``collection`` after every save and delete of ``model``."""

    def receiver(sender: type, instance: models.Model, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        changed(collection, ids(instance), using=kwargs.get("using") or DEFAULT_DB_ALIAS)

    uid = f"engine-{collection}-{model._meta.label_lower}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-delete")


def track_many_to_many(collection: str, through: type[models.Model]) -> None:
    """Record the collection's objects whose many-to-many rows of ``through`` changed; the
    collection's model is the relation's forward side."""

    def receiver(
        sender: type[models.Model],
        instance: models.Model,
        action: str,
        reverse: bool,
        pk_set: set[Any] | None,
        using: str = DEFAULT_DB_ALIAS,
        **kwargs: Any,
    ) -> None:
        if action not in {"post_add", "post_remove", "pre_clear"}:
            return
        if not reverse:
            changed(collection, [instance.pk], using=using)
        elif pk_set is not None:  # theme.experiments.add(...): the experiments' ids
            changed(collection, pk_set, using=using)
        else:  # theme.experiments.clear(): which ones is known only before the rows go
            forward = _collections[collection].model
            column = next(
                f.name
                for f in through._meta.get_fields()
                if getattr(f, "related_model", None) is forward
            )
            other = next(
                f.name
                for f in through._meta.get_fields()
                if getattr(f, "related_model", None) not in (None, forward)
            )
            rows = through._default_manager.using(using).filter(**{other: instance.pk})
            changed(collection, rows.values_list(f"{column}_id", flat=True), using=using)

    m2m_changed.connect(
        receiver, sender=through, weak=False, dispatch_uid=f"engine-{collection}-{through}"
    )


# --- The index ---------------------------------------------------------------------------


def _schema(collection: Collection) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    # Terms come analysed (analysis.analyse): split on spaces, frequencies for BM25.
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    builder.add_integer_field("order", fast=True)
    for name in ("private", *collection.keywords):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    return builder.build()


def _document(collection: Collection, data: dict[str, Any]) -> tantivy.Document:
    document = tantivy.Document()
    document.add_unsigned("id", int(data["id"]))
    document.add_text("title", data.get("title") or "")
    document.add_text("body", data.get("body") or "")
    document.add_integer("order", int(data.get("order") or 0))
    if data.get("private"):
        document.add_text("private", "1")
    for name in collection.keywords:
        values = data.get(name)
        for value in [values] if isinstance(values, str) else values or ():
            if value not in (None, ""):
                document.add_text(name, str(value))
    return document


def _database_label(using: str) -> str:
    params = connections[using].settings_dict
    where = f"{params.get('ENGINE')}:{params.get('HOST')}:{params.get('PORT')}:{params.get('NAME')}"
    return hashlib.sha256(where.encode()).hexdigest()[:12]


class _Index:
    """One collection's index in this process: its reader, and its writer while applying."""

    def __init__(self, collection: Collection, directory: Path | None, using: str) -> None:
        self.collection = collection
        self.using = using
        self.schema = _schema(collection)
        self.directory = directory
        self.lock = threading.RLock()
        self.seen: object = None  # the commit this process's reader last loaded
        self.commits = 0  # made by this process
        self.checked = float("-inf")  # when this process last looked for pending changes
        if directory is None:
            self.index = tantivy.Index(self.schema)
            self.ready = False
        else:
            directory.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(directory))
            self.ready = (directory / "ready").exists()

    # The writer lock: one process of the host at a time, one thread of the process.
    @contextmanager
    def writing(self, *, wait: bool = True) -> Iterator[None]:
        """The writer lock; ``wait=False`` raises BlockingIOError when someone holds it."""
        if not self.lock.acquire(blocking=wait):
            raise BlockingIOError("the index is being written in this process")
        try:
            if self.directory is None:
                yield
                return
            with open(self.directory / "apply.lock", "w") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self.lock.release()

    def _stamp(self) -> object:
        if self.directory is None:
            return self.commits
        try:
            # Tantivy replaces meta.json on every commit: a new inode, even within one tick.
            meta = (self.directory / "meta.json").stat()
        except FileNotFoundError:
            return None
        return (meta.st_ino, meta.st_mtime_ns, self.commits)

    def refresh(self) -> None:
        """Load the newest commit if another process made one."""
        stamp = self._stamp()
        if stamp != self.seen:
            self.index.reload()
            self.seen = stamp

    def build(self, *, if_missing: bool = False) -> int:
        """Every object from the database; returns how many. Changes recorded before the
        build are covered by it and deleted; those recorded during it are applied later.
        ``if_missing``: not when another process or thread built it while this one waited."""
        from digikunta.search.models import EngineChange

        with self.writing():
            marker = self.directory is not None and (self.directory / "ready").exists()
            if if_missing and (self.ready or marker):
                self.ready = True
                return 0
            pending = list(
                EngineChange.objects.using(self.using)
                .filter(collection=self.collection.name)
                .values_list("pk", flat=True)
            )
            writer = self.index.writer(WRITER_HEAP, 1)
            writer.delete_all_documents()
            count = 0
            for data in self.collection.documents(None):
                writer.add_document(_document(self.collection, data))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
            _delete_changes(pending, self.using)
            if self.directory is not None:
                (self.directory / "ready").touch()
            self.ready = True
            self.commits += 1
            self.refresh()
            return count

    def apply(self, *, wait: bool = True) -> int:
        """Apply the pending changes; returns how many objects were rewritten. ``wait=False``
        raises BlockingIOError instead of waiting for another writer (a build, a task)."""
        from digikunta.search.models import EngineChange

        applied = 0
        with self.writing(wait=wait):
            pending = EngineChange.objects.using(self.using).filter(collection=self.collection.name)
            while True:
                rows = list(pending.order_by("pk").values_list("pk", "object_id")[:BATCH])
                if not rows:
                    break
                ids = sorted({object_id for _pk, object_id in rows})
                writer = self.index.writer(APPLY_HEAP, 1)
                writer.delete_documents_by_query(
                    tantivy.Query.term_set_query(self.schema, "id", ids)
                )
                for data in self.collection.documents(ids):
                    writer.add_document(_document(self.collection, data))
                writer.commit()
                writer.wait_merging_threads()
                _delete_changes([pk for pk, _object_id in rows], self.using)
                applied += len(ids)
            if applied:
                self.commits += 1
        return applied

    def pending(self, *, more_than: int = 0) -> bool:
        """Whether more than ``more_than`` changes wait: one indexed lookup (raw SQL, as the
        ORM's exists() costs more than the lookup itself)."""
        from digikunta.search.models import EngineChange

        connection = connections[self.using]
        table = connection.ops.quote_name(EngineChange._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE collection = %s LIMIT 1 OFFSET %s",  # noqa: S608
                [self.collection.name, more_than],
            )
            return cursor.fetchone() is not None

    def searcher(self) -> tantivy.Searcher:
        """A reader that has every committed change: pending ones are applied first, looked
        for at most every RECHECK_SECONDS (always in memory)."""
        if not self.ready:
            self.build(if_missing=True)
        now = time.monotonic()
        if self.directory is None or now - self.checked >= RECHECK_SECONDS:
            if self.pending():
                self.apply()
            self.checked = now
        self.refresh()
        return self.index.searcher()


def _delete_changes(pks: list[int], using: str) -> None:
    from digikunta.search.models import EngineChange

    for start in range(0, len(pks), 500):
        # No model listens for these deletes: no rows read back first.
        rows = EngineChange.objects.using(using).filter(pk__in=pks[start : start + 500])
        rows._raw_delete(using)


_open: dict[tuple[str, str], _Index] = {}
_open_lock = threading.Lock()


def index_of(name: str, *, using: str = DEFAULT_DB_ALIAS) -> _Index:
    key = (name, using)
    index = _open.get(key)
    if index is None:
        with _open_lock:
            index = _open.get(key)
            if index is None:
                collection = _collections[name]
                root = settings.SEARCH_INDEX_DIR
                directory = (
                    None
                    if root is None
                    else Path(root) / _database_label(using) / f"{name}-{collection.format}"
                )
                index = _open[key] = _Index(collection, directory, using)
    return index


def reset() -> None:
    """Forget every open index of this process (tests: each starts from its own database)."""
    with _open_lock:
        _open.clear()


def build(name: str, *, using: str = DEFAULT_DB_ALIAS) -> int:
    return index_of(name, using=using).build()


def apply(name: str, *, using: str = DEFAULT_DB_ALIAS) -> int:
    index = index_of(name, using=using)
    return index.apply() if index.ready else index.build()


# --- Queries -----------------------------------------------------------------------------


def _any_of(schema: tantivy.Schema, name: str, values: Sequence[Any]) -> tantivy.Query:
    terms = sorted({int(v) if name == "id" else str(v) for v in values})
    if len(terms) > TERMS_ONE_BY_ONE:
        return tantivy.Query.term_set_query(schema, name, terms)
    # A term set walks the field's whole dictionary: a few terms are 5–10 times faster
    # each on its own (a filter's value, a person's organisations).
    queries = [tantivy.Query.term_query(schema, name, term) for term in terms]
    either = (
        queries[0]
        if len(queries) == 1
        else tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])
    )
    # A filter only filters: the same score for every match, as a term set gives, so the
    # ranking stays the words' alone.
    return tantivy.Query.const_score_query(either, 1.0)


def _word_query(schema: tantivy.Schema, word: QueryWord) -> tantivy.Query:
    clauses = []
    for term in sorted(word.alternatives):
        title = tantivy.Query.term_query(schema, "title", term)
        clauses.append(tantivy.Query.boost_query(title, TITLE_BOOST))
        clauses.append(tantivy.Query.term_query(schema, "body", term))
    if word.is_prefix:
        # Type-ahead: the last word's beginning. A long beginning takes the first 50 terms
        # that start with it (a phrase prefix, cheap); a short one walks the dictionary.
        token = "".join(c for c in word.token if c.isalnum())
        for name, boost in (("title", TITLE_BOOST), ("body", 1.0)):
            if len(token) >= LONG_PREFIX:
                prefix = tantivy.Query.phrase_prefix_query(schema, name, [token])
            else:
                prefix = tantivy.Query.regex_query(schema, name, token + ".*")
            clauses.append(tantivy.Query.boost_query(prefix, boost) if boost != 1.0 else prefix)
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, c) for c in clauses])


def find(
    name: str,
    *,
    words: Sequence[QueryWord] = (),
    filters: dict[str, Sequence[Any]] | None = None,
    visible: dict[str, Sequence[Any]] | None = None,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
    using: str = DEFAULT_DB_ALIAS,
) -> Found:
    """Matches of ``collection``: ids of one page, their count and the facet counts.

    Every query word must match (any of its alternatives, the last also as a prefix), ranked
    by BM25, title first; without words, newest first (``order``). ``filters`` maps a field to
    the values of which one must match. ``visible`` is what of the private documents (those
    with ``private`` true) the person sees: the ones matching a value of any of its fields
    (``{"owner": ["3"], "id": [17]}``; ``{}`` for none of them); None sees every document.
    """
    index = index_of(name, using=using)
    schema = index.schema
    must: list[tantivy.Query] = []
    for word in words:
        must.append(_word_query(schema, word))
    for field_name, values in (filters or {}).items():
        must.append(_any_of(schema, field_name, values))
    must_not: list[tantivy.Query] = []
    if visible is not None:
        # Leave out the private documents that match none of ``visible``: they are few, so
        # this reads far less than asking for the public ones (issue 9).
        private = tantivy.Query.term_query(schema, "private", "1")
        unless = [_any_of(schema, f, v) for f, v in visible.items() if v]
        must_not.append(
            tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, private)] + [(tantivy.Occur.MustNot, q) for q in unless]
            )
        )
    if not must:
        must.append(tantivy.Query.all_query())
    query = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, q) for q in must] + [(tantivy.Occur.MustNot, q) for q in must_not]
    )
    searcher = index.searcher()
    limit = max(1, limit)
    if words:
        result = searcher.search(query, limit, count=True, offset=offset)
    else:
        result = searcher.search(query, limit, count=True, offset=offset, order_by_field="order")
    addresses = [address for _key, address in result.hits]
    # "id" is an unsigned field: its values are ints (the stub allows any fast field's).
    ids = cast(list[int], searcher.fast_field_values("id", addresses)) if addresses else []
    counts: dict[str, dict[str, int]] = {}
    if facets and index.collection.facets:
        spec = {f: {"terms": {"field": f, "size": 100}} for f in index.collection.facets}
        answer = searcher.aggregate(query, spec)
        counts = {
            f: {b["key"]: int(b["doc_count"]) for b in answer[f]["buckets"]}
            for f in index.collection.facets
        }
    count: int | None = result.count  # type: ignore[attr-defined]  # missing from tantivy.pyi
    return Found(ids=ids, count=count or 0, facets=counts)
