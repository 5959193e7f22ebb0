"""Time journal Markdown on the worst inputs known, each as long as a journal text may be.

    .venv/bin/python bench/markdown.py [--repeat 5] [--length 20000]

For every input of digikunta/experiments/tests/markdown_corpus.py, prints the best of --repeat
renders (journal.render_markdown: cmark and nh3, what a write costs) at the length and
at one eighth of it, and their ratio: about 8 when linear, 64 when quadratic. Times are CPU time
of this process, which other work on a shared machine disturbs less than the wall clock. A plain Finnish
text of the same length is the first row, for comparison. Results go in docs/benchmarks.md.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digikunta.settings.test")

import django  # noqa: E402

django.setup()

from digikunta.core.markdown import MAX_BODY_CHARS, render_markdown  # noqa: E402
from digikunta.experiments.tests.markdown_corpus import CORPUS, repeat  # noqa: E402

PLAIN = (
    "Viikko 3: ovenavaus toimi **puhelimella**, ja varauksia tuli *kaksi kertaa* enemmän.\n\n"
    "- kirjasto\n- nuorisotila\n\nLisää [Kuntaliiton sivuilla](https://www.kuntaliitto.fi).\n\n"
)


def best(text: str, times: int) -> float:
    """The shortest of ``times`` renders of ``text``, in milliseconds of CPU time."""
    shortest = float("inf")
    for _ in range(times):
        started = time.process_time()
        render_markdown(text)
        shortest = min(shortest, time.process_time() - started)
    return shortest * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="renders per input; the best counts")
    parser.add_argument("--length", type=int, default=MAX_BODY_CHARS, help="characters per input")
    args = parser.parse_args()
    inputs = {"plain Finnish text (for comparison)": lambda n: repeat(PLAIN, n), **CORPUS}
    print(f"| input ({args.length:,} characters) | best of {args.repeat} | at 1/8 | ratio |")
    print("|---|---:|---:|---:|")
    worst = ("", 0.0)
    for name, make in inputs.items():
        full = best(make(args.length), args.repeat)
        eighth = best(make(args.length // 8), args.repeat)
        worst = max(worst, (name, full), key=lambda row: row[1])
        label = re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", name)  # any ASCII punctuation, escaped
        print(f"| {label} | {full:.1f} ms | {eighth:.1f} ms | {full / max(eighth, 1e-3):.1f} |")
    print(f"\nslowest: {worst[0]}, {worst[1]:.1f} ms")


if __name__ == "__main__":
    main()
