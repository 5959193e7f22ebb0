"""Throughput of the case bank, the experiment page and the API against a "hello" view, served
the same way (granian, 2 workers) in the same run. Needs `wrk` (apt-get install wrk).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/run.py

Each kind of page is a set of distinct URLs (30 searches, up to 300 filter combinations and
300 experiments), taken in turn. Scenarios, each on a fresh server with its own hello figure:

- anonymous, page cache off: every request renders (a first visit, a new search);
- signed in: a member of Kuopio with a session cookie, which the page cache never serves;
- the API: searches, filtered lists and experiment details, anonymous;
- anonymous, page cache on, after a warm-up (a public site between writes);
- anonymous experiment pages, page cache on, while a writer changes two experiments a second.

At the end it reports each web worker's resident memory (RSS).

Targets: issue 3, cached pages ≥ ⅓ × hello; issue 9, signed-in pages and API reads ≥ 0.1 ×
hello (API detail ≥ ⅓), cached experiment pages under writes ≥ ⅓ × hello.
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


def wrk(base: str, paths: list[str], duration: str = DURATION, cookie: str = "") -> float:
    """Requests per second over ``paths``, taken in turn by every connection."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "-s", str(LUA), base],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "WRK_PATHS": handle.name, "WRK_COOKIE": cookie},
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
    # One-click unsubscribe links as mail clients open them (GET asks, changes nothing).
    tokens = shell(
        env,
        "from digikunta.accounts.models import User as U\n"
        "from digikunta.notifications.tokens import unsubscribe_token as t\n"
        f"for pk in U.objects.values_list('pk', flat=True)[:{PAGES}]: print(t(pk, 'all'))",
    )
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
        # The same page for everyone in each language (home/views.py): cached whole or in parts.
        "front page": ["/fi/", "/sv/", "/en/"],
        "experiments of the month": [f"/{lang}/experiment-of-the-month/" for lang in ("fi", "sv")],
        # Signed in: the settings page; anonymous: its redirect to the login.
        "notification settings": [f"/{lang}/account/notifications/" for lang in ("fi", "sv")],
        "unsubscribe page": [
            f"/{lang}/notifications/unsubscribe/{token}/"
            for lang in ("fi", "sv")
            for token in tokens
        ],
    }


def api_sets(env: dict, pages: dict[str, list[str]]) -> dict[str, list[str]]:
    ids = shell(
        env,
        "from digikunta.experiments.models import Experiment as E\n"
        f"for i in E.objects.public().order_by('?').values_list('id', flat=True)[:{PAGES}]: print(i)",
    )
    filtered = [p.split("?", 1)[1] for p in pages["case bank filtered listing"]]
    return {
        "hello (/healthz)": ["/healthz"],
        "API search": [f"/api/v1/experiments?search={quote(q)}" for q in QUERIES],
        "API filtered list": [f"/api/v1/experiments?{q}" for q in filtered],
        "API experiment detail": [f"/api/v1/experiments/{i}" for i in ids],
    }


def session_cookie(env: dict) -> str:
    """A signed-in member of Kuopio, as a session cookie the server accepts (same SECRET_KEY)."""
    key = shell(
        env,
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from digikunta.accounts.sessions import SessionStore\n"
        "from digikunta.accounts.models import User\n"
        "from digikunta.organisations.models import Membership, Organisation\n"
        "u, _ = User.objects.get_or_create(email='bench@example.invalid', defaults={'name': 'Bench'})\n"
        "Membership.objects.get_or_create(organisation=Organisation.objects.get(slug='kuopio'), user=u)\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'digikunta.accounts.backends.AuthenticationBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)",
    )[-1]
    return f"sessionid={key}"


WRITER = """
import random, sys, time
from django.utils import timezone
from digikunta.experiments.models import Experiment
ids = list(Experiment.objects.public().values_list("id", flat=True)[:2000])
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    for pk in random.sample(ids, 2):
        experiment = Experiment.objects.get(pk=pk)
        experiment.summary = experiment.summary[:400] + "."
        experiment.updated_at = timezone.now()
        experiment.save(update_fields=["summary", "updated_at"])
    time.sleep(1)
"""


def writer(env: dict, seconds: float) -> subprocess.Popen:
    """Changes two public experiments a second, through the ORM (signals and all)."""
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/python"),
            "-c",
            "import django; django.setup()\n" + WRITER,
            str(seconds),
        ],
        env=env,
        cwd=ROOT,
    )


def worker_rss(server: subprocess.Popen) -> list[int]:
    """Resident memory of the server's worker processes, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    sizes = []
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024)
    return sizes


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
            os.environ.get("WEB_WORKERS", "2"),
            "--blocking-threads",
            os.environ.get("WEB_THREADS", "1"),
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


RSS: dict[str, list[int]] = {}


def measure(
    env: dict,
    pages: dict[str, list[str]],
    *,
    cached: bool,
    session: str = "",
    writes: bool = False,
    label: str = "",
) -> dict[str, float]:
    shutil.rmtree(Path(env["DIGIKUNTA_VAR_DIR"]) / "pages", ignore_errors=True)  # start cold
    server = serve({**env, "PAGE_CACHE_SECONDS": "600" if cached else "0"})
    base = f"http://127.0.0.1:{PORT}"
    try:
        results = {}
        for name, paths in pages.items():
            # Hello is always the anonymous baseline; the others carry the scenario's cookie.
            cookie = "" if name.startswith("hello") else session
            # Warm up: imports, and the working set of the page cache (anonymous, cache on) and of
            # each worker's fragment cache (every scenario: ADR 0013). Cold renders are
            # bench/pages_profile.py's FRAGMENT_CACHE_SECONDS=0 figures.
            wrk(base, paths, "2s" if name.startswith("hello") else WARMUP, cookie=cookie)
            if writes and not name.startswith("hello"):
                seconds = float(DURATION.rstrip("s")) + 2
                changing = writer(env, seconds)
                results[name] = wrk(base, paths, cookie=cookie)
                changing.wait(seconds + 30)
            else:
                results[name] = wrk(base, paths, cookie=cookie)
        RSS[label] = worker_rss(server)
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
    # The search engine's index (ADR 0014), as a deployment builds it before serving.
    subprocess.run(
        [str(python), "-m", "django", "search_engine", "build"], env=env, check=True, cwd=ROOT
    )
    pages = page_sets(env)
    api = api_sets(env, pages)
    cookie = session_cookie(env)
    vendor = shell(env, "from django.db import connection; print(connection.vendor)")[-1]
    count = shell(
        env, "from digikunta.experiments.models import Experiment as E; print(E.objects.count())"
    )[-1]
    print(
        f"database: {vendor}, {count} experiments; "
        f"{', '.join(f'{len(p)} {n} URLs' for n, p in {**pages, **api}.items())}"
    )
    experiment_pages = {k: v for k, v in pages.items() if k.startswith(("hello", "experiment"))}
    scenarios = [
        ("anonymous, page cache off", pages, {"cached": False}),
        ("signed in (never cached)", pages, {"cached": True, "session": cookie}),
        ("API, anonymous", api, {"cached": True}),
        ("anonymous, page cache on", pages, {"cached": True}),
        (
            "anonymous, cache on, 2 writes a second",
            experiment_pages,
            {"cached": True, "writes": True},
        ),
    ]
    only = os.environ.get("BENCH_ONLY", "")
    for label, sets, options in scenarios:
        if only and only not in label:
            continue
        results = measure(env, sets, label=label, **options)
        hello = results["hello (/healthz)"]
        print(f"\n{label}:")
        for name, rps in results.items():
            print(f"  {name:30} {rps:9.1f} req/s   {rps / hello:5.3f} × hello")
    print("\nweb worker RSS (MB) after each scenario:")
    for label, sizes in RSS.items():
        print(f"  {label:40} {', '.join(map(str, sizes))}")


if __name__ == "__main__":
    sys.exit(main())
