"""Throughput of the case bank and the experiment page against a "hello" view, served the same
way (granian, 2 workers) in the same run. Needs `wrk` (apt-get install wrk).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/run.py

Each kind of page is a set of distinct URLs (30 searches, up to 300 filter combinations and
300 experiments), taken in turn. Measured twice: with the page cache off (every request
renders) and on (anonymous visitors after a warm-up, as on a public site).

Target (issue 3): each page at least one third of the hello view's requests per second.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8811"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
WARMUP = os.environ.get("BENCH_WARMUP", "40s")
PAGES = int(os.environ.get("BENCH_PAGES", "300"))  # distinct URLs per kind of page
LUA = Path(__file__).resolve().parent / "rotate.lua"
# What people type: inflected forms and compound parts, in Finnish and Swedish.
QUERIES = [
    "tilavarauksen",
    "tilavaraus",
    "kokeiluista",
    "kunnille",
    "etäkokouksissa",
    "digituen",
    "kesäasukkaiden",
    "koulukyydit",
    "neuvontabotilla",
    "osallistuvaa budjetointia",
    "kommunerna",
    "lokalbokningen",
    "distansmöten",
    "chattboten",
    "fritidsboende",
]


def wrk(base: str, paths: list[str], duration: str = DURATION) -> float:
    """Requests per second over ``paths``, taken in turn by every connection."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "-s", str(LUA), base],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "WRK_PATHS": handle.name},
        ).stdout
    finally:
        os.unlink(handle.name)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{paths[0]}…: {non2xx.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def shell(env: dict, code: str) -> list[str]:
    python = ROOT / ".venv/bin/python"
    out = subprocess.run(
        [str(python), "-m", "django", "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return out.strip().splitlines()


def page_sets(env: dict) -> dict[str, list[str]]:
    """Many distinct pages of each kind, so that a cache has to hold a realistic working set."""
    slugs = shell(
        env,
        "from digikunta.experiments.models import Experiment as E\n"
        f"for s in E.objects.order_by('?').values_list('slug', flat=True)[:{PAGES}]: print(s)",
    )
    regions = shell(
        env,
        "from digikunta.municipalities.models import Region as R\nfor r in R.objects.all(): print(r.code)",
    )
    themes = shell(
        env,
        "from digikunta.experiments.models import Theme as T\nfor t in T.objects.all(): print(t.slug)",
    )
    statuses = ["running", "ended", "evaluated"]
    return {
        "hello (/healthz)": ["/healthz"],
        "case bank search": [
            f"/{lang}/casebank/?q={quote(q)}" for lang in ("fi", "sv") for q in QUERIES
        ],
        "case bank filtered listing": [
            f"/fi/casebank/?theme={t}&status={s}&region={r}"
            for t in themes
            for s in statuses
            for r in regions
        ][:PAGES],
        "experiment page": [f"/fi/experiments/{slug}/" for slug in slugs],
    }


def serve(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            "2",
            "--blocking-threads",
            "1",
            "--log-level",
            "warning",
            "digikunta.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def measure(env: dict, pages: dict[str, list[str]], *, cached: bool) -> dict[str, float]:
    shutil.rmtree(Path(env["DIGIKUNTA_VAR_DIR"]) / "pages", ignore_errors=True)  # start cold
    server = serve({**env, "PAGE_CACHE_SECONDS": "600" if cached else "0"})
    base = f"http://127.0.0.1:{PORT}"
    try:
        results = {}
        for name, paths in pages.items():
            # Warm up: imports, the similarity matrix, and with the cache on, the working set.
            wrk(base, paths, WARMUP if cached else "2s")
            results[name] = wrk(base, paths)
        return results
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digikunta.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DIGIKUNTA_VAR_DIR": "/tmp/digikunta-bench-var",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }
    python = ROOT / ".venv/bin/python"
    subprocess.run(
        [str(python), "-m", "django", "collectstatic", "--no-input", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    pages = page_sets(env)
    vendor = shell(env, "from django.db import connection; print(connection.vendor)")[-1]
    print(f"database: {vendor}; {', '.join(f'{len(p)} {n} URLs' for n, p in pages.items())}")
    for cached in (False, True):
        results = measure(env, pages, cached=cached)
        hello = results["hello (/healthz)"]
        print(f"\npage cache {'on (anonymous visitors)' if cached else 'off'}:")
        for name, rps in results.items():
            print(f"  {name:30} {rps:9.1f} req/s   {rps / hello:5.2f} × hello")


if __name__ == "__main__":
    sys.exit(main())
