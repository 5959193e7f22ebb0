"""Request types for views, so that mypy knows what the middleware and decorators guarantee
(docs/decisions/0017). Annotations only: Django builds the same HttpRequest at run time."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from digikunta.accounts.models import User


class HtmxRequest(HttpRequest):
    """Any request: django-htmx's middleware sets ``htmx`` on each one."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """A signed-in person's request: only for a view behind ``@login_required``."""

    user: User
