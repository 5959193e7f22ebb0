"""A person's erasure reaches the panels' lists (accounts knows nothing of panels, so a signal
links them, as docs/architecture.md allows).

While a list is not yet published, the person's registration goes with them. Once it is
published (registration closed), the row stays, without the link to the person: its code and
traits are part of the published list and draw, which must not change (docs/privacy.md).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from digikunta.panels.models import PanelState, Volunteer


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="panels_forget_registrations")
def forget_unpublished_registrations(sender: Any, instance: Any, **kwargs: Any) -> None:
    unpublished = Q(panel__state=PanelState.DRAFT) | Q(
        panel__state=PanelState.OPEN, panel__registration_closes_at__gt=timezone.now()
    )
    Volunteer.objects.filter(unpublished, user=instance).delete()
