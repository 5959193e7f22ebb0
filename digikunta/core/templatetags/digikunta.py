"""Template helpers shared by every page."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from digikunta.core.permissions import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, object]]:
    """The current page in each language, for the switcher (keeps the page and its query)."""
    request = context["request"]
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "url": translate_url(path, code),
                "is_current": code == current,
            }
        )
    return links


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
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
