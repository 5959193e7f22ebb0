"""`digikunta reindex`: rebuild the search index of experiments (after a data load or upgrade)."""

from typing import Any

from django.core.management.base import BaseCommand

from digikunta.experiments.models import Experiment
from digikunta.experiments.search_text import experiment_text
from digikunta.experiments.similarity import vectors_update
from digikunta.search.services import prune, reindex


class Command(BaseCommand):
    help = "Rebuild the full-text search index of experiments."

    def handle(self, *args: Any, **options: Any) -> None:
        experiments = Experiment.objects.select_related("owner").prefetch_related(
            "themes", "municipalities", "steps", "indicators", "journal"
        )
        count = reindex(experiments, experiment_text)
        removed = prune(Experiment)
        embedded = 0
        batch: list[Experiment] = []
        for experiment in Experiment.objects.order_by("pk").iterator(chunk_size=200):
            batch.append(experiment)
            if len(batch) == 200:
                embedded += vectors_update(batch)
                batch = []
        embedded += vectors_update(batch)
        self.stdout.write(
            f"Indexed {count} experiments; removed {removed} stale entries; "
            f"embedded {embedded} changed texts."
        )
