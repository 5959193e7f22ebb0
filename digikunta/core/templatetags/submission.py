"""``{% submission_token %}``: makes one rendering of a form count once (core/repeats.py).

A builtin tag (settings TEMPLATES), written beside ``{% csrf_token %}`` in every POST form.
"""

from django import template
from django.utils.safestring import SafeString

from digikunta.core.repeats import submission_token as _token

register = template.Library()


@register.simple_tag
def submission_token() -> SafeString:
    return _token()
