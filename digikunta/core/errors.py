"""The API's documented error body, {detail, errors}, for the errors core answers itself
(limits, repeated requests, Django's own 400/404/500) before or outside django-ninja."""

from django.http import JsonResponse


def json_error(
    status: int, detail: str, *, field: str = "", location: str = "", code: str = ""
) -> JsonResponse:
    """``detail`` for the whole answer; with a ``code``, one entry naming the field at fault."""
    errors = (
        [{"field": field, "location": location, "code": code, "message": detail}] if code else []
    )
    return JsonResponse({"detail": detail, "errors": errors}, status=status)
