"""`digikunta load_reference_data`: (re)load municipalities and regions; idempotent."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from digikunta.experiments.models import LifeEvent, TargetGroup, Theme
from digikunta.experiments.reference import load_experiment_reference_data
from digikunta.municipalities.models import Municipality, Region
from digikunta.municipalities.reference import load_reference_data
from digikunta.organisations.models import Organisation


class Command(BaseCommand):
    help = "Load municipalities, regions, themes, target groups and life events (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_reference_data(Region, Municipality, Organisation)
            load_experiment_reference_data(Theme, TargetGroup, LifeEvent)
        self.stdout.write(
            f"{counts['municipalities']} municipalities in {counts['regions']} regions loaded."
        )
