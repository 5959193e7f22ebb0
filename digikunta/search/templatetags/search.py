"""``{% search_highlight text query language %}``: a snippet with the query's words in <mark>."""

from django import template
from django.utils.safestring import SafeString

from digikunta.search.analysis import highlight

register = template.Library()


@register.simple_tag
def search_highlight(text: str, query: str, language: str, max_length: int = 240) -> SafeString:
    return highlight(text or "", query or "", language, max_length=max_length)
