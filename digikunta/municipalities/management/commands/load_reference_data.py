"""`digikunta load_reference_data`: (re)load municipalities and regions; idempotent."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from digikunta.municipalities.models import Municipality, Region
from digikunta.municipalities.reference import load_reference_data
from digikunta.organisations.models import Organisation


class Command(BaseCommand):
    help = "Load Statistics Finland's municipality and region classification (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_reference_data(Region, Municipality, Organisation)
        self.stdout.write(
            f"{counts['municipalities']} municipalities in {counts['regions']} regions loaded."
        )
