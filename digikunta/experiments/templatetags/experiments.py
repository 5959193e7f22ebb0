from django import template
from django.utils.safestring import SafeString

from digikunta.experiments.journal import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Sanitised Markdown (digikunta.experiments.journal.render_markdown)."""
    return render_markdown(text or "")
