"""Throughput of the case bank and the experiment page against a "hello" view, served the same
way (granian, 2 workers) in the same run. Needs `wrk` (apt-get install wrk).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/run.py

Targets (issue 3): each page at least one third of the hello view's requests per second.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8811"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")


def wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


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
    slug = (
        subprocess.run(
            [
                str(python),
                "-m",
                "django",
                "shell",
                "-c",
                "from digikunta.experiments.models import Experiment as E; "
                "q = E.objects.filter(status='evaluated').order_by('pk'); "
                "print(q.values_list('slug', flat=True)[q.count() // 2])",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
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
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        pages = {
            "hello (/healthz)": "/healthz",
            "case bank search 'tilavarauksen'": "/fi/casebank/?q=tilavarauksen",
            "case bank filtered listing": "/fi/casebank/?theme=facilities&status=ended&region=01",
            "experiment page": f"/fi/experiments/{slug}/",
        }
        for url in pages.values():  # warm up caches and the similarity matrix
            urllib.request.urlopen(base + url, timeout=60).read()  # noqa: S310
        results = {name: wrk(base + url) for name, url in pages.items()}
    finally:
        server.terminate()
        server.wait(10)
    hello = results["hello (/healthz)"]
    for name, rps in results.items():
        print(f"{name:36} {rps:9.0f} req/s   {rps / hello:5.2f} × hello")


if __name__ == "__main__":
    sys.exit(main())
