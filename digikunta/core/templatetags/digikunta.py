"""Template helpers shared by every page."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from digikunta.core.fragments import shared_html
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


class SharedFragmentNode(template.Node):
    def __init__(self, name: str, vary: list[template.base.FilterExpression], nodelist: Any):
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        vary = [expression.resolve(context) for expression in self.vary]
        return shared_html(
            f"template:{self.name}", [], lambda: self.nodelist.render(context), vary=vary
        )


@register.tag
def shared_fragment(parser: template.base.Parser, token: template.base.Token) -> SharedFragmentNode:
    """Render the enclosed markup once per language and per value of the other arguments, for
    every viewer (core/fragments.py)::

        {% shared_fragment "main-nav" user.is_authenticated %}…{% endshared_fragment %}

    Only for markup that shows nothing of the viewer beyond those arguments: no CSRF token, no
    name, no form.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("shared_fragment needs a quoted name first")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    vary = [parser.compile_filter(bit) for bit in bits[2:]]
    return SharedFragmentNode(bits[1][1:-1], vary, nodelist)
