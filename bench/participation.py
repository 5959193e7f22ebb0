"""A city-scale participation round (issue 11): 100,000 residents, 20,000 ideas, 800,000
supports, measured against `/healthz` in the same run, as bench/run.py does.

    DATABASE_URL=… .venv/bin/python bench/participation.py generate
    DATABASE_URL=… .venv/bin/python bench/participation.py run

`generate` writes the round into the database the server will read: one process in Kuopio in
its ideas phase, 100,000 residents with declarations, 20,000 ideas in Finnish and Swedish (a
quarter answered), 800,000 supports and 500 API tokens of residents. It is idempotent by the
process's slug.

`run` measures, each scenario on a fresh server (granian, 2 workers) with its own hello:
- anonymous, page cache off: the idea list (pages, orders, filters and searches, 300 distinct
  URLs) and idea pages (300 distinct ideas);
- signed in: the same, as a resident with a session cookie (never cached);
- supporting: `POST /api/v1/ideas/{id}/support` by 500 residents in turn (bench/post.lua);
- anonymous, page cache on, while supports arrive at 20 a second (a writer through the
  services): the idea list and idea pages.

Targets: reads ≥ 0.1 × hello signed in and ≥ ⅓ × hello anonymous.
"""

import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PORT, ROOT, WARMUP, serve, shell, worker_rss, wrk

SLUG = "bench-city-round"
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "100000"))
IDEAS = int(os.environ.get("BENCH_IDEAS", "20000"))
SUPPORTS = int(os.environ.get("BENCH_SUPPORTS", "800000"))
TOKENS = 500
POST_LUA = Path(__file__).resolve().parent / "post.lua"
WORDS_FI = [
    "kirjasto", "leikkipuisto", "pyörätie", "uimaranta", "digituki", "katuvalo", "koulukyyti",
    "kesäasukkaiden", "tilavaraus", "nuorisotila", "kirjastoauto", "laituri", "penkki",
]  # fmt: skip
WORDS_SV = ["biblioteket", "lekparken", "cykelvägen", "badstranden", "sommarboende", "bryggan"]

GENERATE = r"""
import random, time
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from digikunta.accounts.models import User
from digikunta.accounts.services import token_create
from digikunta.core.markdown import render_markdown
from digikunta.experiments.models import Theme
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.participation import services
from digikunta.participation.models import Answer, Declaration, Idea, Process, Support
from digikunta.participation.search_text import idea_text
from digikunta.search.services import index_many

SLUG, RESIDENTS, IDEAS, SUPPORTS, TOKENS = {slug!r}, {residents}, {ideas}, {supports}, {tokens}
WORDS_FI, WORDS_SV = {words_fi!r}, {words_sv!r}
random.seed(20261202)
if Process.objects.filter(slug=SLUG).exists():
    print("already generated")
    raise SystemExit
started = time.perf_counter()
kuopio = Municipality.objects.get(code="297")
organiser = Organisation.objects.get(slug="kuopio")
today = timezone.localdate()
password = make_password(None)
with transaction.atomic():
    process = services.process_create(
        by=None, organiser=organiser, municipalities=[kuopio], title="Kuopion iso ideakierros",
        description="Kaupunkitason osallistuva budjetointi.", eligible_bases=["resident", "summer_resident"],
    )
    process.slug = SLUG
    process.save(update_fields=["slug"])
    services.phases_set(process=process, phases=[
        dict(kind="ideas", starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=30)),
        dict(kind="voting", starts_on=today + timedelta(days=31), ends_on=today + timedelta(days=45)),
    ])
    services.process_publish(process=process)
    first = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, RESIDENTS, 5000):
        User.objects.bulk_create([
            User(email=f"bench-resident-{{i}}@example.invalid", name=f"Asukas {{i}}", password=password)
            for i in range(start, min(start + 5000, RESIDENTS))
        ])
    users = list(User.objects.filter(email__startswith="bench-resident-").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(users), 5000):
        Declaration.objects.bulk_create([
            Declaration(user_id=u, process=process, basis="resident" if u % 10 else "summer_resident",
                        municipality=kuopio, statement="Vakuutan, että kotikuntani on Kuopio.")
            for u in users[start:start + 5000]
        ])
    themes = list(Theme.objects.all())
    rows = []
    now = timezone.now()
    for i in range(IDEAS):
        swedish = i % 7 == 0
        words = random.sample(WORDS_SV if swedish else WORDS_FI, 3)
        body = " ".join(words) + (" och mer." if swedish else " ja muuta.") + " " + "lorem " * 30
        rows.append(Idea(process=process, author_id=users[i % len(users)], title=" ".join(words).capitalize() + f" {{i}}",
                         body=body, body_html=render_markdown(body), language="sv" if swedish else "fi",
                         theme=themes[i % len(themes)], created_at=now - timedelta(minutes=i * 3)))
    for start in range(0, len(rows), 2000):
        Idea.objects.bulk_create(rows[start:start + 2000])
    ideas = list(Idea.objects.filter(process=process).order_by("pk").values_list("pk", flat=True))
    answered = ideas[::4]
    Answer.objects.bulk_create([
        Answer(idea_id=pk, status=("accepted", "in_progress", "not_taken_forward")[n % 3],
               reasoning="Vastaus.", reasoning_html="<p>Vastaus.</p>", office="Kuopion kaupunki")
        for n, pk in enumerate(answered)
    ])
    Idea.objects.filter(pk__in=answered).update(answered_at=now)
    index_many(Idea.objects.filter(process=process).select_related("theme"), idea_text)
    # Supports: idea a gets residents (b * 2503 + a) mod N for b = 0, 1, …: distinct pairs.
    per_idea = int(SUPPORTS / len(ideas) / 0.6) + 1  # 60 % of the pairs are kept
    batch = []
    for b in range(per_idea):
        for a, pk in enumerate(ideas):
            if (a * 7919 + b) % 100 < 60 or b < 2:  # uneven: some ideas far more supported
                batch.append(Support(idea_id=pk, user_id=users[(b * 2503 + a) % len(users)]))
            if len(batch) >= 20000:
                Support.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
    Support.objects.bulk_create(batch, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE participation_idea SET support_count = (SELECT COUNT(*) FROM participation_support s "
            "WHERE s.idea_id = participation_idea.id) WHERE process_id = %s", [process.pk])
    Process.objects.filter(pk=process.pk).update(idea_count=len(ideas), answered_count=len(answered))
    with open({tokens_file!r}, "w") as out:
        for u in User.objects.filter(pk__in=users[:TOKENS]):
            out.write(token_create(user=u, name="bench")[1] + "\n")
print(f"generated in {{time.perf_counter() - started:.0f}} s: {{Support.objects.filter(idea__process__slug=SLUG).count()}} supports")
"""

WRITER = r"""
import random, sys, time
from django.core.exceptions import ValidationError
from digikunta.accounts.models import User
from digikunta.participation import services
from digikunta.participation.models import Idea
ideas = list(Idea.objects.filter(process__slug=sys.argv[2]).values_list("pk", flat=True))
users = list(User.objects.filter(email__startswith="bench-resident-").values_list("pk", flat=True)[:20000])
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    tick = time.monotonic()
    for _ in range(20):
        idea = Idea.objects.select_related("process").get(pk=random.choice(ideas))
        try:
            services.support_add(user=User.objects.get(pk=random.choice(users)), idea=idea)
        except ValidationError:
            pass
    time.sleep(max(0.0, 1 - (time.monotonic() - tick)))
"""


def python(env: dict, code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-c", "import django; django.setup()\n" + code, *args],
        env=env,
        cwd=ROOT,
    )


def environment() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digikunta.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(40)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DIGIKUNTA_VAR_DIR": "/tmp/digikunta-bench-var",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }


TOKENS_FILE = "/tmp/digikunta-bench-var/participation-tokens.txt"


def generate(env: dict) -> None:
    Path(TOKENS_FILE).parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "django", "migrate", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    code = GENERATE.format(
        slug=SLUG,
        residents=RESIDENTS,
        ideas=IDEAS,
        supports=SUPPORTS,
        tokens=TOKENS,
        words_fi=WORDS_FI,
        words_sv=WORDS_SV,
        tokens_file=TOKENS_FILE,
    )
    python(env, code).wait()


def url_sets(env: dict) -> dict[str, list[str]]:
    ids = shell(
        env,
        "from digikunta.participation.models import Idea as I\n"
        f"for i in I.objects.filter(process__slug='{SLUG}').order_by('?')"
        ".values_list('id', flat=True)[:300]: print(i)",
    )
    themes = shell(
        env,
        "from digikunta.experiments.models import Theme as T\nfor t in T.objects.all(): print(t.pk)",
    )
    base = f"/fi/participation/{SLUG}/"
    lists = [f"{base}?page={n}" for n in range(1, 101)]
    lists += [f"{base}?order=support&page={n}" for n in range(1, 51)]
    lists += [f"{base}?answer={a}&theme={t}" for a in ("none", "accepted") for t in themes]
    lists += [f"{base}?q={w}" for w in WORDS_FI + WORDS_SV]
    lists += [f"/sv/participation/{SLUG}/?page={n}" for n in range(1, 301 - len(lists))]
    return {
        "hello (/healthz)": ["/healthz"],
        "idea list": lists[:300],
        "idea page": [f"/fi/participation/ideas/{i}/" for i in ids],
    }


def resident_cookie(env: dict) -> str:
    key = shell(
        env,
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from digikunta.accounts.sessions import SessionStore\n"
        "from digikunta.accounts.models import User\n"
        "u = User.objects.get(email='bench-resident-1@example.invalid')\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'digikunta.accounts.backends.AuthenticationBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)",
    )[-1]
    return f"sessionid={key}"


def wrk_posts(base: str, lines: list[str], duration: str) -> float:
    """Requests per second of POSTs, each line "path token", round robin (bench/post.lua)."""
    import re

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    try:
        out = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{duration}", "-s", str(POST_LUA), base],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "WRK_LINES": handle.name},
        ).stdout
    finally:
        os.unlink(handle.name)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{lines[0]}…: {non2xx.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure(env: dict, sets: dict[str, list[str]], *, cached: bool, cookie: str = "",
            writes: bool = False) -> dict[str, float]:  # fmt: skip
    server = serve({**env, "PAGE_CACHE_SECONDS": "600" if cached else "0"})
    base = f"http://127.0.0.1:{PORT}"
    duration = os.environ.get("BENCH_DURATION", "10s")
    try:
        results = {}
        for name, paths in sets.items():
            hello = name.startswith("hello")
            wrk(base, paths, "2s" if hello else WARMUP, cookie="" if hello else cookie)
            writer = None
            if writes and not hello:
                seconds = float(duration.rstrip("s")) + 2
                writer = python(env, WRITER, str(seconds), SLUG)
            results[name] = wrk(base, paths, duration, cookie="" if hello else cookie)
            if writer is not None:
                writer.wait(60)
        results["worker RSS (MB)"] = max(worker_rss(server) or [0])
        return results
    finally:
        server.terminate()
        server.wait(10)


def measure_supports(env: dict, ids: list[str]) -> dict[str, float]:
    tokens = Path(TOKENS_FILE).read_text().split()
    random.seed(1)
    lines = [f"/api/v1/ideas/{random.choice(ids)}/support {token}" for token in tokens]
    server = serve({**env, "PAGE_CACHE_SECONDS": "0"})
    base = f"http://127.0.0.1:{PORT}"
    duration = os.environ.get("BENCH_DURATION", "10s")
    try:
        hello = wrk(base, ["/healthz"], duration)
        wrk_posts(base, lines, "3s")
        return {"hello (/healthz)": hello, "support (API POST)": wrk_posts(base, lines, duration)}
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    env = environment()
    action = sys.argv[1] if len(sys.argv) > 1 else "run"
    if action == "generate":
        generate(env)
        return
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "django", "collectstatic", "--no-input", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    sets = url_sets(env)
    cookie = resident_cookie(env)
    counts = shell(
        env,
        "from digikunta.participation.models import Idea, Support\n"
        f"print(Idea.objects.filter(process__slug='{SLUG}').count(), Support.objects.count())",
    )[-1]
    vendor = shell(env, "from django.db import connection; print(connection.vendor)")[-1]
    print(f"database: {vendor}; ideas and supports: {counts}")
    scenarios = [
        ("anonymous, page cache off", lambda: measure(env, sets, cached=False)),
        ("signed in (never cached)", lambda: measure(env, sets, cached=True, cookie=cookie)),
        (
            "supporting, 500 residents in turn",
            lambda: measure_supports(
                env, [p.rstrip("/").rsplit("/", 1)[1] for p in sets["idea page"]]
            ),
        ),  # fmt: skip
        (
            "anonymous, cache on, 20 supports a second",
            lambda: measure(env, sets, cached=True, writes=True),
        ),
    ]
    only = os.environ.get("BENCH_ONLY", "")
    for label, run in scenarios:
        if only and only not in label:
            continue
        started = time.perf_counter()
        results = run()
        hello = results["hello (/healthz)"]
        print(f"\n{label} ({time.perf_counter() - started:.0f} s):")
        for name, value in results.items():
            if name.endswith("(MB)"):
                print(f"  {name:30} {value:9.0f}")
            else:
                print(f"  {name:30} {value:9.1f} req/s   {value / hello:5.3f} × hello")


if __name__ == "__main__":
    sys.exit(main())
