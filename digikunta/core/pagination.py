"""One way to page a listing in HTML views."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(
    request: HttpRequest, queryset: Any, *, per_page: int = 25, count: int | None = None
) -> Page[Any]:
    """The requested page; an out-of-range or malformed number gives the nearest real page.

    ``queryset`` is a QuerySet or any sliceable object with ``count()`` (casebank.Listing).
    Pass ``count`` when it is already known (from facet counts) to save the COUNT query.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: this value is used instead of a query
    return paginator.get_page(request.GET.get("page"))
