"""Generate a national-scale data set: every municipality, N experiments in Finnish and Swedish,
M journal entries each, then build the search index and the similarity vectors (synthesised from one real
embedding per subject unless --real-vectors).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/generate.py --experiments 50000

Deterministic (seeded). Writes in bulk; the text is made of realistic Finnish and Swedish
phrases about municipal services, inflected as people write them.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digikunta.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from digikunta.core.markdown import render_markdown  # noqa: E402
from digikunta.experiments.models import (  # noqa: E402
    Experiment,
    JournalEntry,
    Theme,
    Transition,
)
from digikunta.municipalities.models import Municipality  # noqa: E402

FI_SUBJECTS = [
    ("Tilavaraus", "kirjaston ryhmätilojen varaaminen verkossa ja ovien avaaminen puhelimella"),
    ("Etäkokoukset", "lautakuntien kokoukset etänä ja pöytäkirjojen sähköinen allekirjoitus"),
    ("Digituki", "ikäihmisten opastaminen sähköisten palvelujen käytössä kirjastoissa"),
    ("Kesäasukkaat", "vapaa-ajan asukkaiden ideat kunnan kehittämiseen verkkokyselyllä"),
    ("Osallistuva budjetointi", "kuntalaiset äänestävät, mihin kymmenen tuhatta euroa käytetään"),
    ("Neuvontabotti", "chat-neuvonta vastaa jätehuoltoa koskeviin kysymyksiin vuorokauden ympäri"),
    ("Koulukyydit", "koulukuljetusten reitit ja bussien sijainti vanhempien puhelimessa"),
    ("Yritysneuvonta", "aloittavien yrittäjien neuvonta ja lupien hakeminen yhdellä asioinnilla"),
    (
        "Kulunvalvonta",
        "liikuntasalien kulunvalvonta, tilavaraukset ja maksaminen samassa palvelussa",
    ),
    ("Kuntaraati", "arvalla valittu kuntaraati pohtii kunnan strategiaa verkossa ja paikan päällä"),
]
SV_SUBJECTS = [
    ("Lokalbokning", "invånarna bokar kommunens lokaler på nätet och öppnar dörren med mobilen"),
    ("Distansmöten", "nämndernas möten på distans och elektronisk justering av protokollen"),
    ("Digistöd", "frivilliga hjälper äldre invånare att använda kommunernas e-tjänster"),
    ("Fritidsboende", "fritidsboende deltar i utvecklingen av kommunen genom en webbenkät"),
    ("Chattbot", "en chattbot svarar på frågor om avfallshantering dygnet runt"),
]
FI_JOURNAL = [
    "Viikon aikana {n} kuntalaista kokeili palvelua, ja palautetta tuli paljon.",
    "Huomasimme, että ohjeet olivat liian pitkiä; lyhensimme ne puoleen.",
    "Kokeilun {n}. viikko: varauksia kertyi enemmän kuin odotimme.",
    "Tekninen ongelma ovien avaamisessa korjattiin toimittajan kanssa.",
    "Henkilöstö koulutettiin, ja asiakaspalvelun puhelut vähenivät.",
]
SV_JOURNAL = [
    "Under veckan prövade {n} invånare tjänsten och gav mycket respons.",
    "Vi märkte att anvisningarna var för långa och kortade dem till hälften.",
    "Personalen utbildades och samtalen till kundtjänsten minskade.",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--experiments", type=int, default=50_000)
    parser.add_argument("--journal-per-experiment", type=int, default=10)
    parser.add_argument("--skip-vectors", action="store_true")
    parser.add_argument(
        "--real-vectors", action="store_true", help="embed every experiment (slow: 0.1 s each)"
    )
    args = parser.parse_args()
    random.seed(20261123)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    municipalities = list(Municipality.objects.select_related("organisation"))
    themes = list(Theme.objects.all())
    statuses = (
        ["idea"] * 2
        + ["planned"] * 2
        + ["running"] * 3
        + ["ended"] * 2
        + ["evaluated"] * 2
        + ["spread"]
    )
    existing = Experiment.objects.count()
    with transaction.atomic():
        batch = []
        for i in range(existing, args.experiments):
            municipality = random.choice(municipalities)
            swedish = (
                municipality.is_bilingual
                and random.random() < 0.4
                or municipality.region_id == "21"
            )
            title, text = random.choice(SV_SUBJECTS if swedish else FI_SUBJECTS)
            status = random.choice(statuses)
            ended = status in {"ended", "evaluated", "spread"}
            batch.append(
                Experiment(
                    slug=f"bench-{i}",
                    title=f"{title} {municipality.name_sv if swedish else municipality.name_fi} {i}",
                    summary=text[0].upper() + text[1:] + ".",
                    problem=text,
                    language="sv" if swedish else "fi",
                    owner=municipality.organisation,
                    status=status,
                    outcome=random.choice(["succeeded", "partly", "did_not_succeed"])
                    if ended
                    else "",
                    results="Tulokset kirjattiin."
                    if ended and not swedish
                    else ("Resultaten dokumenterades." if ended else ""),
                    lessons="Aloita pienestä." if status in {"evaluated", "spread"} else "",
                    starts_on=date(2019, 1, 1) + timedelta(days=random.randrange(2500)),
                )
            )
            if len(batch) == 2000:
                Experiment.objects.bulk_create(batch)
                batch = []
        Experiment.objects.bulk_create(batch)
    print(f"experiments: {Experiment.objects.count()} ({time.perf_counter() - started:.0f} s)")
    through_m = Experiment.municipalities.through
    through_t = Experiment.themes.through
    ids = list(
        Experiment.objects.filter(slug__startswith="bench-").values_list(
            "pk", "owner__municipality_id", "language"
        )
    )
    with transaction.atomic():
        through_m.objects.all().delete()
        through_t.objects.filter(experiment__slug__startswith="bench-").delete()
        through_m.objects.bulk_create(
            [through_m(experiment_id=pk, municipality_id=code) for pk, code, _l in ids],
            batch_size=5000,
        )
        through_t.objects.bulk_create(
            [through_t(experiment_id=pk, theme_id=random.choice(themes).pk) for pk, _c, _l in ids],
            batch_size=5000,
        )
        Transition.objects.bulk_create(
            [Transition(experiment_id=pk, from_status="", to_status="idea") for pk, _c, _l in ids],
            batch_size=5000,
        )
    if not JournalEntry.objects.filter(experiment__slug__startswith="bench-").exists():
        with transaction.atomic():
            batch = []
            rendered: dict[str, str] = {}  # the few distinct texts, each rendered once
            for pk, _code, language in ids:
                for n in range(args.journal_per_experiment):
                    sentences = SV_JOURNAL if language == "sv" else FI_JOURNAL
                    body = random.choice(sentences).format(n=n + 1)
                    if body not in rendered:
                        rendered[body] = str(render_markdown(body))
                    batch.append(
                        JournalEntry(
                            experiment_id=pk,
                            body=body,
                            body_html=rendered[body],
                            language=language,
                        )
                    )
                if len(batch) >= 10_000:
                    JournalEntry.objects.bulk_create(batch)
                    batch = []
            JournalEntry.objects.bulk_create(batch)
    print(
        f"journal entries: {JournalEntry.objects.count()} ({time.perf_counter() - started:.0f} s)"
    )
    from digikunta.experiments.search_text import experiment_text
    from digikunta.search.services import reindex

    indexed = reindex(
        Experiment.objects.select_related("owner").prefetch_related(
            "themes", "municipalities", "steps", "indicators", "journal"
        ),
        experiment_text,
    )
    print(f"indexed: {indexed} ({time.perf_counter() - started:.0f} s)")
    if args.real_vectors:
        from digikunta.experiments.similarity import vectors_update

        batch = []
        for experiment in Experiment.objects.order_by("pk").iterator(chunk_size=256):
            batch.append(experiment)
            if len(batch) == 256:
                vectors_update(batch)
                batch = []
        vectors_update(batch)
    elif not args.skip_vectors:
        from digikunta.experiments.similarity import similar_refresh

        synthesise_vectors()
        similar_refresh(Experiment.objects.values_list("pk", flat=True))  # the stored top-N
    print(f"vectors done ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:  # what autovacuum would soon do after a bulk load
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def synthesise_vectors() -> None:
    """Real embeddings take about 0.1 s each here (1.5 hours for 50,000). Embed each subject
    once, then give every experiment its subject's vector plus a little seeded noise: the
    similarity block does the same work on the same number of vectors."""
    import numpy as np

    from digikunta.experiments.models import ExperimentVector
    from digikunta.experiments.similarity import METHOD, embed_experiments

    subjects = [(t, s, "fi") for t, s in FI_SUBJECTS] + [(t, s, "sv") for t, s in SV_SUBJECTS]
    base = embed_experiments(
        [f"{t}\n{s}" for t, s, _l in subjects], [lang for *_x, lang in subjects]
    )
    by_title = {t: base[i] for i, (t, _s, _l) in enumerate(subjects)}
    noise = np.random.default_rng(20261123)
    done = set(ExperimentVector.objects.values_list("experiment_id", flat=True))
    rows = Experiment.objects.exclude(pk__in=done).values_list("pk", "title")
    batch = []
    for pk, title in rows.iterator(chunk_size=5000):
        subject = next((t for t in by_title if title.startswith(t)), None)
        vector = by_title[subject] if subject else base[0]
        vector = vector + noise.normal(0, 0.02, vector.shape).astype(np.float32)
        vector = (vector / np.linalg.norm(vector)).astype(np.float16)
        batch.append(
            ExperimentVector(
                experiment_id=pk, vector=vector.tobytes(), source_hash=f"{METHOD}|bench"
            )
        )
        if len(batch) == 5000:
            ExperimentVector.objects.bulk_create(batch)
            batch = []
    ExperimentVector.objects.bulk_create(batch)


if __name__ == "__main__":
    main()
