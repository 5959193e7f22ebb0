"""Rate limits for our own form posts (login and sign-up are limited by allauth)."""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django_ratelimit.decorators import ratelimit

View = TypeVar("View", bound=Callable[..., object])


def limit_form_posts(view: View) -> View:
    """At most RATELIMIT_FORM_POSTS posts a minute per person (or IP address when anonymous)."""
    return ratelimit(key="user_or_ip", rate=settings.RATELIMIT_FORM_POSTS, method="POST")(view)
