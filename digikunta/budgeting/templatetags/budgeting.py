from decimal import Decimal

from django import template
from django.utils.formats import number_format

from digikunta.budgeting import voting

register = template.Library()


@register.filter
def euros(amount: Decimal | int | None) -> str:
    """An amount in euros as the pages show it ("18 500", "18 500,50"), without the sign."""
    if amount is None:
        return ""
    return voting.euros(Decimal(amount))


@register.filter
def percent(value: Decimal | None) -> str:
    """A share with one decimal ("12,5"); empty when there is none."""
    if value is None:
        return ""
    return number_format(value, decimal_pos=1)
