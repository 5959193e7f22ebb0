"""Embedding throughput of the background worker's job: experiments per second, batched.

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/embeddings.py [--count 2000]

Takes --count experiments of the database (bench/generate.py makes them), clears their vectors
and times `similarity.vectors_update` over them in batches of --batch, as the `embeddings`
queue's task does (docs/similarity.md). The model load is timed apart: a worker pays it once.
Results go in docs/benchmarks.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digikunta.settings.base")

import django

django.setup()

from digikunta.experiments import similarity  # noqa: E402
from digikunta.experiments.models import Experiment, ExperimentVector  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()

    started = time.perf_counter()
    similarity.embed(["lämmittely"])
    similarity.language_means()
    load = time.perf_counter() - started

    experiments = list(Experiment.objects.order_by("pk")[: args.count])
    ExperimentVector.objects.filter(experiment__in=experiments).delete()
    started = time.perf_counter()
    done = 0
    for start in range(0, len(experiments), args.batch):
        done += similarity.vectors_update(experiments[start : start + args.batch])
    seconds = time.perf_counter() - started
    print(
        f"model load {load:.1f} s; {done} experiments embedded in {seconds:.1f} s, "
        f"{done / seconds:.1f} experiments/s (batches of {args.batch})"
    )


if __name__ == "__main__":
    main()
