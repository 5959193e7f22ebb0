"""Compare the two ways to find similar experiments on the labelled set.

    .venv/bin/python bench/similarity_eval.py

For each text, the others are ranked; a hit is a text of the same topic. Prints precision at 1,
mean reciprocal rank and cross-language precision at 1 (Finnish text → best Swedish text of the
same topic, and back) for lemma TF-IDF (Voikko/Snowball terms), for multilingual-e5-small, and
for e5 with each language's mean (from reference data, not from this set) taken out: the method
the platform uses.
"""

import json
import math
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digikunta.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from digikunta.experiments.similarity import embed, embed_experiments  # noqa: E402
from digikunta.search.analysis import analyse  # noqa: E402

DATA = ROOT / "digikunta/experiments/tests/data/similarity_set.jsonl"


def load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def lemma_matrix(items: list[dict]) -> np.ndarray:
    docs = [Counter(analyse(item["text"], item["language"])) for item in items]
    df = Counter(term for doc in docs for term in doc)
    n = len(docs)
    vocab = {term: i for i, term in enumerate(df)}
    matrix = np.zeros((n, len(vocab)), dtype=np.float32)
    for row, doc in enumerate(docs):
        for term, count in doc.items():
            matrix[row, vocab[term]] = (1 + math.log(count)) * math.log((1 + n) / (1 + df[term]))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def evaluate(items: list[dict], matrix: np.ndarray) -> dict[str, float]:
    scores = matrix @ matrix.T
    np.fill_diagonal(scores, -np.inf)
    p1, rr, cross_hits, cross_total = 0, 0.0, 0, 0
    for i, item in enumerate(items):
        order = np.argsort(-scores[i])
        p1 += items[order[0]]["topic"] == item["topic"]
        rank = next(r for r, j in enumerate(order, start=1) if items[j]["topic"] == item["topic"])
        rr += 1 / rank
        other = [j for j in order if items[j]["language"] != item["language"]]
        if other:
            cross_total += 1
            cross_hits += items[other[0]]["topic"] == item["topic"]
    n = len(items)
    return {"p@1": p1 / n, "mrr": rr / n, "cross_language_p@1": cross_hits / cross_total}


def main() -> dict[str, dict[str, float]]:
    items = load()
    texts = [item["text"] for item in items]
    results = {
        "lemma_tfidf": evaluate(items, lemma_matrix(items)),
        "multilingual_e5_small": evaluate(items, embed(texts)),
        "e5_language_centred": evaluate(
            items, embed_experiments(texts, [item["language"] for item in items])
        ),
    }
    return results


if __name__ == "__main__":
    for method, figures in main().items():
        print(f"{method:24} " + "  ".join(f"{k}={v:.2f}" for k, v in figures.items()))
