"""One way to page a listing in HTML views."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int = 25) -> Page:
    """The requested page; an out-of-range or malformed number gives the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
