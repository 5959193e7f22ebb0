"""Links to allauth that must not know our code: nothing here holds domain logic."""

from typing import Any

from allauth.account.signals import authentication_step_completed
from django.dispatch import receiver

from digikunta.accounts.sessions import drop_identifiers_from_records


@receiver(authentication_step_completed)
def forget_typed_login(sender: Any, request: Any, **kwargs: Any) -> None:
    drop_identifiers_from_records(request.session)
