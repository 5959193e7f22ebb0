"""Safety net: deleting an indexed object removes its search entry.

Services remove entries explicitly (services.remove_object); this receiver catches deletes that
bypass them (admin, cascades, the shell). It is connected only to models that declare
``is_search_indexed = True``: a receiver for every model would turn off Django's fast deletes
everywhere. It only ever removes entries.
"""

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete


def remove_entry_on_delete(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    from digikunta.search.services import remove_object

    remove_object(instance, using=kwargs.get("using"))


def connect_indexed_models() -> None:
    """Connect the receiver to every model declaring ``is_search_indexed = True``."""
    for model in apps.get_models():
        if getattr(model, "is_search_indexed", False):
            post_delete.connect(
                remove_entry_on_delete,
                sender=model,
                dispatch_uid=f"search_remove_{model._meta.label_lower}",
            )
