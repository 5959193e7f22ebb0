"""Where one request's time goes: milliseconds and queries per page kind, in-process, with an
optional cProfile of one kind. The companion of bench/run.py for finding what to make faster.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/pages_profile.py
    DATABASE_URL=… .venv/bin/python bench/pages_profile.py --profile "experiment page" --top 40

Signed in as bench/run.py's member of Kuopio (created if missing); DEBUG off, page cache off.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digikunta.settings.base")
os.environ.setdefault("SECRET_KEY", "bench-profile-" + "x" * 40)
os.environ["PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.run import QUERIES  # noqa: E402
from digikunta.accounts.models import User  # noqa: E402
from digikunta.experiments.models import Experiment, Theme  # noqa: E402
from digikunta.municipalities.models import Region  # noqa: E402
from digikunta.organisations.models import Membership, Organisation  # noqa: E402


def page_kinds(rng: random.Random) -> dict[str, list[str]]:
    slugs = list(Experiment.objects.public().values_list("slug", flat=True)[:5000])
    ids = list(Experiment.objects.public().values_list("id", flat=True)[:5000])
    themes = list(Theme.objects.values_list("slug", flat=True))
    regions = list(Region.objects.values_list("code", flat=True))
    filtered = [
        f"theme={rng.choice(themes)}&status={rng.choice(['running', 'ended', 'evaluated'])}"
        f"&region={rng.choice(regions)}"
        for _ in range(50)
    ]
    return {
        "hello": ["/healthz"],
        "accessibility (shell)": ["/fi/accessibility/"],
        "case bank search": [f"/{lang}/casebank/?q={q}" for lang in ("fi", "sv") for q in QUERIES],
        "filtered case bank": [f"/fi/casebank/?{f}" for f in filtered],
        "experiment page": [f"/fi/experiments/{s}/" for s in rng.sample(slugs, 50)],
        "API search": [f"/api/v1/experiments?search={q}" for q in QUERIES],
        "API filtered list": [f"/api/v1/experiments?{f}" for f in filtered],
        "API detail": [f"/api/v1/experiments/{i}" for i in rng.sample(ids, 50)],
    }


def signed_in_client() -> Client:
    user, _ = User.objects.get_or_create(email="bench@example.invalid", defaults={"name": "Bench"})
    Membership.objects.get_or_create(
        organisation=Organisation.objects.get(slug="kuopio"), user=user
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def run(client: Client, paths: list[str], rounds: int) -> tuple[float, float]:
    """Mean milliseconds and queries per request, after one warm-up pass."""
    for path in paths:
        assert client.get(path).status_code == 200, path
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(rounds):
            for path in paths:
                client.get(path)
    n = rounds * len(paths)
    return (time.perf_counter() - started) * 1000 / n, len(queries) / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="cProfile this page kind")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="a pstats order: tottime, …")
    parser.add_argument("--anonymous", action="store_true")
    args = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, as served
    kinds = page_kinds(random.Random(9))
    client = Client(HTTP_HOST="127.0.0.1") if args.anonymous else signed_in_client()
    anonymous = Client(HTTP_HOST="127.0.0.1")
    if args.profile:
        paths = kinds[args.profile]
        run(client, paths, 1)
        profiler = cProfile.Profile()
        profiler.enable()
        for path in paths * args.rounds:
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return
    print(f"{'page':24} {'ms':>8} {'queries':>8}")
    for name, paths in kinds.items():
        who = anonymous if name.startswith(("hello", "API")) else client
        ms, n = run(who, paths, args.rounds)
        print(f"{name:24} {ms:8.2f} {n:8.1f}")
        reset_queries()


if __name__ == "__main__":
    main()
