"""Pages and fragments from one template (django-template-partials)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page_or_partial(
    request: HttpRequest,
    template_name: str,
    partial: str,
    context: dict[str, Any],
    *,
    status: int | None = None,
) -> HttpResponse:
    """Render the whole page, or only its ``partial`` for an htmx request.

    A bound form with errors answers 422 so that clients and tests see the failure.
    """
    form = context.get("form")
    if status is None:
        status = 422 if form is not None and form.is_bound and form.errors else 200
    name = f"{template_name}#{partial}" if getattr(request, "htmx", False) else template_name
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
