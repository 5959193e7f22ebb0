"""``{% load moderation %}``: the report link of an item of moderated content."""

from typing import Any

from django import template
from django.urls import reverse

from digikunta.moderation import registry

register = template.Library()


@register.filter
def report_url(obj: Any) -> str:
    """Where a reader reports ``obj`` to the moderators (the form asks them to log in)."""
    entry = registry.entry_for(obj)
    if entry is None:
        return ""
    return reverse("moderation:report", args=[entry.kind, obj.pk])
