"""One way to page every list in the API: count, next, previous, results."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE = 1_000_000


class PagePagination(PaginationBase):
    """``?page=N&page_size=M`` (at most API_MAX_PAGE_SIZE); a page past the end is empty."""

    items_attribute = "results"

    class Input(Schema):
        # Bounded so that the offset stays a 64-bit number; a page past the end is empty.
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(
            settings.API_PAGE_SIZE,
            ge=1,
            le=settings.API_MAX_PAGE_SIZE,
            description="Items per page.",
        )

    class Output(Schema):
        count: int = Field(description="All items that match, on every page.")
        next: str | None = Field(description="Address of the next page, or null.")
        previous: str | None = Field(description="Address of the previous page, or null.")
        results: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size, page = pagination.page_size, pagination.page
        offset = (page - 1) * size
        count = self._items_count(queryset)
        return {
            "count": count,
            "next": page_url(request, page + 1, size) if offset + size < count else None,
            "previous": page_url(request, page - 1, size) if page > 1 else None,
            "results": list(queryset[offset : offset + size]),
        }


def page_url(request: HttpRequest, page: int, size: int) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("page_size", None)
    query["page"] = str(page)
    query["page_size"] = str(size)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
