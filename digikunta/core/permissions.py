"""One door for "may this person do this to this object".

Each app declares its rules in its own ``rules.py`` with ``rules.add_perm("<app>.<action>_<model>",
predicate)``; ``can`` is the only question views, selectors, the API and templates ask.
"""

from typing import Any

from django.db import models


def permission_name(action: str, obj: models.Model | type[models.Model]) -> str:
    meta = obj._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def can(user: Any, action: str, obj: models.Model | type[models.Model]) -> bool:
    """True when ``user`` may do ``action`` to ``obj`` (an instance, or a model for "create")."""
    if user is None:
        return False
    target = None if isinstance(obj, type) else obj
    return bool(user.has_perm(permission_name(action, obj), target))
