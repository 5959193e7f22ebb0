"""Template helpers shared by every page."""

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from digikunta.core import jinja
from digikunta.core.jinja import include
from digikunta.core.permissions import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja_include(context: template.Context, name: str) -> SafeString:
    """``{% jinja_include "shell/header.html" %}``: a Jinja2 template rendered with this
    template's context, so that a part both engines show (the site's shell, the pagination)
    is written once (core/jinja.py)."""
    return include(name, context.flatten())


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], action: str, obj: Any) -> bool:
    return can_do(context["request"].user, action, obj)


@register.filter
def localized(obj: Any, field: str) -> str:
    """``obj.<field>_<language>`` with a fallback to Finnish, then Swedish, then English."""
    language = (get_language() or "fi")[:2]
    for code in (language, "fi", "sv", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced, e.g. for page links."""
    return jinja.query_with(context["request"], **changes)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
