"""Rate limits for our own form posts (login and sign-up are limited by allauth)."""

from collections.abc import Callable
from typing import TypeVar, cast

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit

View = TypeVar("View", bound=Callable[..., object])


def form_post_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_FORM_POSTS


def limit_form_posts(view: View) -> View:
    """At most RATELIMIT_FORM_POSTS posts (default 60 a minute) per person, or per IP address
    when anonymous; the next one is answered 429."""
    # django-ratelimit is untyped; its decorator keeps the view's signature (functools.wraps).
    return cast(View, ratelimit(key="user_or_ip", rate=form_post_rate, method="POST")(view))


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting only the last TRUSTED_PROXY_COUNT proxies' header."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [a.strip() for a in header.split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= count:
            return forwarded[-count]
    address: str = request.META.get("REMOTE_ADDR", "")
    return address
