"""Build or update the search engine's indexes (search/engine.py, ADR 0014)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digikunta.search import engine


class Command(BaseCommand):
    help = (
        "Build every search-engine index from the database (build), or apply the changes "
        "still pending (apply). Run build after a deployment; it is safe while serving."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["build", "apply"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if not engine.enabled():
            self.stdout.write("SEARCH_ENGINE is not tantivy: nothing to do.")
            return
        for name in engine.names():
            started = time.perf_counter()
            count = engine.build(name) if action == "build" else engine.apply(name)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{name}: {count} documents in {seconds:.1f} s")
