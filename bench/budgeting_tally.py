"""The participatory-budgeting tally and the cost of casting a ballot (issue 11: "the tally of
60,000 ballots under one second on PostgreSQL").

    DATABASE_URL=postgres://postgres@127.0.0.1:54340/bench .venv/bin/python bench/budgeting_tally.py --ballots 60000

Migrates the database, then makes a Kuopio process in its voting phase with one area of
500,000 € and 24 projects, and N ballots of 60,000 people in bulk, each choosing projects in a
random order as long as they fit (2 to 8 of them, about 5). It then times, best of --repeat:

- the tally itself (selectors.votes_per_project: one aggregate over the ballots' JSON choices),
- the whole of the results (selectors.results and selectors.turnout: what the results page and
  the open data compute), counted afresh and with the votes from the shared cache,

and --casts casts through services.ballot_cast by people who declared themselves residents
(the checks, the insert and the lock), then as many changes of those ballots. Times are wall
clock of this process against the database. Results go in docs/benchmarks.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digikunta.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from digikunta.accounts.models import User  # noqa: E402
from digikunta.budgeting import receipts, selectors, services  # noqa: E402
from digikunta.budgeting.models import Ballot, BudgetArea, Project  # noqa: E402
from digikunta.municipalities.models import Municipality  # noqa: E402
from digikunta.organisations.models import Organisation  # noqa: E402
from digikunta.participation import services as participation  # noqa: E402
from digikunta.participation.models import Basis, Phase, PhaseKind, Process  # noqa: E402

KUOPIO = "297"
BUDGET = Decimal("500000")
COSTS = [8000, 12000, 15000, 20000, 25000, 30000, 40000, 45000, 60000, 75000, 90000, 120000]


def make_process(ballots: int) -> tuple[Process, BudgetArea, list[Project]]:
    stamp = int(time.time())
    today = timezone.localdate()
    process = Process.objects.create(
        organiser=Organisation.objects.get(municipality_id=KUOPIO),
        slug=f"bench-budjetti-{stamp}",
        title=f"Kuopion osallistuva budjetointi {stamp}",
        description="Mitä tekisit 500 000 eurolla?",
        eligible_bases=[Basis.RESIDENT, Basis.SUMMER_RESIDENT],
        published_at=timezone.now(),
    )
    process.municipalities.set([Municipality.objects.get(code=KUOPIO)])
    Phase.objects.create(
        process=process,
        kind=PhaseKind.VOTING,
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=14),
    )
    area = BudgetArea.objects.create(process=process, name="Koko kunta", budget=BUDGET)
    projects = Project.objects.bulk_create(
        Project(
            area=area,
            title=f"Hanke {n}",
            description="Kuvaus.",
            description_html="<p>Kuvaus.</p>",
            estimated_cost=Decimal(COSTS[n % len(COSTS)]),
            position=n,
            cost_checked_at=timezone.now(),
        )
        for n in range(24)
    )
    random.seed(20270301)
    people = User.objects.bulk_create(
        User(email=f"bench-{stamp}-{n}@example.fi", name="", password="!")  # noqa: S106
        for n in range(ballots)
    )
    rows = []
    for n, person in enumerate(people):
        order = random.sample(projects, len(projects))
        chosen, left, wanted = [], BUDGET, random.randint(2, 8)
        for project in order:
            if project.estimated_cost <= left and len(chosen) < wanted:
                chosen.append(project.pk)
                left -= project.estimated_cost
        rows.append(
            Ballot(
                process=process,
                area=area,
                voter=person,
                choices=sorted(chosen),
                receipt_digest=receipts.digest(f"{stamp % 10**6:06d}{n:06d}"),
                basis=Basis.SUMMER_RESIDENT if n % 9 == 0 else Basis.RESIDENT,
                municipality_id=KUOPIO,
            )
        )
    with transaction.atomic():
        Ballot.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Ballot._meta.db_table}")
    return process, area, list(projects)


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def casting(process: Process, projects: list[Project], count: int) -> list[str]:
    """Rows of a table: casting, then changing, ``count`` ballots through the service."""
    kuopio = Municipality.objects.get(code=KUOPIO)
    voters = User.objects.bulk_create(
        User(email=f"caster-{process.pk}-{n}@example.fi", name="", password="!")  # noqa: S106
        for n in range(count)
    )
    for voter in voters:
        participation.declare(
            user=voter, process=process, basis=Basis.RESIDENT, municipality=kuopio
        )
    cheap = [p.pk for p in projects if p.estimated_cost <= 30000]
    rows = []
    for label in ("cast", "change"):
        times = []
        for voter in voters:
            chosen = random.sample(cheap, 4)
            started = time.perf_counter()
            services.ballot_cast(voter=voter, process=process, project_ids=chosen)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        rows.append(f"| {label} a ballot | {statistics.median(times):.1f} ms | {p95:.1f} ms |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--casts", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    process, area, projects = make_process(args.ballots)
    print(
        f"{connection.vendor}: {args.ballots:,} ballots made in "
        f"{time.perf_counter() - started:.0f} s"
    )
    choices = sum(
        len(b) for b in Ballot.objects.filter(process=process).values_list("choices", flat=True)
    )
    print(f"{choices:,} choices, {choices / args.ballots:.1f} per ballot\n")
    tally = best(lambda: selectors.votes_per_project(process), args.repeat)
    votes = selectors.votes_per_project(process)
    assert sum(votes.values()) == choices, "the tally lost a vote"
    cast_rows = casting(process, projects, args.casts)
    # The vote closes: the results are public, counted once and then read from the cache.
    today = timezone.localdate()
    Phase.objects.filter(process=process).update(
        starts_on=today - timedelta(days=21), ends_on=today - timedelta(days=1)
    )

    def results() -> None:
        counted = selectors.counts(process)
        selectors.results(process, counted)
        selectors.turnout(process, counted=counted)

    def counted_afresh() -> None:
        caches["default"].clear()
        results()

    whole = best(counted_afresh, args.repeat)
    kept = best(results, args.repeat)
    print(f"| what | best of {args.repeat} |")
    print("|---|---:|")
    print(f"| the tally ({args.ballots:,} ballots) | {tally:.0f} ms |")
    print(f"| results and turnout, counted | {whole:.0f} ms |")
    print(f"| results and turnout, counts from the cache | {kept:.0f} ms |")
    print(f"\n| {args.casts} people, one after another | median | 95th percentile |")
    print("|---|---:|---:|")
    print("\n".join(cast_rows))


if __name__ == "__main__":
    main()
