"""Import throughput: generate N experiments to a temporary JSON Lines file and time
`digikunta import experiments` on it, then import it again (every row an update).

    DATABASE_URL=sqlite:////tmp/import.sqlite3 .venv/bin/python bench/import.py --rows 50000

The database is migrated first (a fresh one gets the reference data). Rows are seeded, in Finnish
and Swedish, each with a six-sentence description as municipalities write them. The command's own
output gives the longest batch (a transaction other writers wait for). ``--profile`` runs the
import in this process under cProfile instead and prints the 25 costliest functions.

Target (issue 9): at least 300 rows/s on SQLite and on PostgreSQL (docs/benchmarks.md).
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digikunta.settings.base")
os.environ.setdefault("DEBUG", "1")

FI_SENTENCES = [
    "Kokeilussa {n} kuntalaista varasi kirjaston ryhmätiloja verkossa ja avasi ovet puhelimella.",
    "Palvelua kehitettiin yhdessä asukkaiden, yrittäjien ja kunnan henkilöstön kanssa.",
    "Ensimmäisten viikkojen aikana palautetta tuli yli {n} kappaletta, enimmäkseen myönteistä.",
    "Ikäihmisten digituesta vastasivat vapaaehtoiset, jotka opastivat sähköisten palvelujen "
    "käytössä.",
    "Tilavarausjärjestelmän käyttöönotto vähensi asiakaspalvelun puheluita noin {n} prosenttia.",
    "Koulukuljetusten reitit näkyivät vanhempien puhelimissa reaaliaikaisesti.",
    "Lautakuntien etäkokoukset säästivät matkakustannuksia ja luottamushenkilöiden aikaa.",
    "Kesäasukkaiden ideat kerättiin verkkokyselyllä, johon vastasi {n} henkilöä.",
    "Neuvontabotti vastasi jätehuoltoa koskeviin kysymyksiin vuorokauden ympäri.",
    "Kuntaraati kokoontui kolme kertaa pohtimaan kunnan strategian painopisteitä.",
    "Osallistuvassa budjetoinnissa kuntalaiset äänestivät {n} ehdotuksesta.",
    "Yrittäjien lupien hakeminen onnistui yhdellä asioinnilla aiempien kolmen sijaan.",
    "Liikuntasalien kulunvalvonta ja maksaminen yhdistettiin samaan palveluun.",
    "Henkilöstö koulutettiin, ja ohjeet lyhennettiin puoleen alkuperäisestä.",
    "Tekninen ongelma korjattiin toimittajan kanssa {n} päivän kuluessa.",
    "Kokeilun tulokset arvioitiin yhdessä naapurikuntien ja maakunnan kanssa.",
]
SV_SENTENCES = [
    "Under försöket bokade {n} invånare kommunens lokaler på nätet.",
    "Tjänsten utvecklades tillsammans med invånarna, företagarna och personalen.",
    "Frivilliga hjälpte äldre att använda kommunernas e-tjänster på biblioteket.",
    "Nämndernas möten hölls på distans och protokollen justerades elektroniskt.",
    "En chattbot svarade på frågor om avfallshanteringen dygnet runt.",
    "Fritidsboende deltog i utvecklingen genom en webbenkät med {n} svar.",
    "Samtalen till kundtjänsten minskade med ungefär {n} procent.",
    "Resultaten utvärderades tillsammans med grannkommunerna.",
]
SUBJECTS_FI = ["Tilavaraus", "Etäkokoukset", "Digituki", "Kesäasukkaat", "Neuvontabotti"]
SUBJECTS_SV = ["Lokalbokning", "Distansmöten", "Digistöd", "Chattbot"]
THEMES = ["participation", "e-services", "wellbeing", "education", "mobility", "automation"]


def generate(path: Path, count: int, municipalities: list[str]) -> None:
    random.seed(20261123)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            swedish = random.random() < 0.15
            sentences = SV_SENTENCES if swedish else FI_SENTENCES
            status = random.choice(["idea", "planned", "running", "ended", "evaluated"])
            ended = status in {"ended", "evaluated"}
            text = " ".join(
                random.choice(sentences).format(n=random.randrange(2, 900)) for _ in range(6)
            )
            row = {
                "title": f"{random.choice(SUBJECTS_SV if swedish else SUBJECTS_FI)} {i}",
                "summary": text.split(". ")[0] + ".",
                "description": text,
                "municipality": random.choice(municipalities),
                "status": status,
                "outcome": random.choice(["succeeded", "partly"]) if ended else "",
                "results": ("Resultaten dokumenterades." if swedish else "Tulokset kirjattiin.")
                if ended
                else "",
                "lessons": "Aloita pienestä." if status == "evaluated" else "",
                "themes": ";".join(random.sample(THEMES, 2)),
                "start": f"20{random.randrange(19, 26)}-0{random.randrange(1, 10)}-01",
                "language": "sv" if swedish else "fi",
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def time_import(path: Path) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/digikunta"), "import", "experiments", str(path), "-v", "2"],
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "TQDM_DISABLE": "1"},
        check=False,
    )
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"import failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed, done.stdout


def profile(path: Path) -> None:
    import cProfile
    import io as stdio
    import pstats

    from django.core.management import call_command

    profiler = cProfile.Profile()
    profiler.enable()
    call_command("import", "experiments", str(path), stdout=stdio.StringIO())
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(25)


def embed(count: int, batch_size: int) -> None:
    """What the background does with the ids the import hands over: batched embeddings."""
    from digikunta.experiments.models import Experiment
    from digikunta.experiments.similarity import language_means, vectors_update

    language_means()  # the model loads once per worker, not per batch
    experiments = list(Experiment.objects.filter(vector=None).order_by("pk")[:count])
    began = time.perf_counter()
    made = sum(
        vectors_update(experiments[start : start + batch_size])
        for start in range(0, len(experiments), batch_size)
    )
    elapsed = time.perf_counter() - began
    print(
        f"embeddings: {made} experiments in {elapsed:.1f} s = {made / elapsed:.1f} experiments/s "
        f"(batches of {batch_size})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--no-reimport", action="store_true", help="time the first import only")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--embed",
        type=int,
        default=0,
        metavar="N",
        help="then embed N imported experiments as the background would (vectors_update in "
        "batches of --embed-batch) and report experiments per second",
    )
    parser.add_argument("--embed-batch", type=int, default=64)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from digikunta.municipalities.models import Municipality

    call_command("migrate", verbosity=0)
    codes = list(
        Municipality.objects.filter(organisation__isnull=False).values_list("code", flat=True)
    )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "experiments.jsonl"
        generate(path, args.rows, codes)
        if args.profile:
            profile(path)
            return
        runs = [("new", *time_import(path))]
        if not args.no_reimport:
            runs.append(("again", *time_import(path)))
    if args.embed:
        embed(args.embed, args.embed_batch)
    for name, elapsed, output in runs:
        longest = re.search(r"longest batch: ([\d.]+) s \((\d+) rows\)", output)
        print(
            f"{name}: {args.rows} rows in {elapsed:.1f} s = {args.rows / elapsed:.0f} rows/s; "
            + (f"longest batch {longest[1]} s ({longest[2]} rows)" if longest else output.strip())
        )


if __name__ == "__main__":
    main()
