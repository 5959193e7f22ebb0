"""The API's documented error body, {detail, errors}, for the errors core answers itself
(limits, repeated requests, Django's own 400/404/500) before or outside django-ninja."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse


class Refused(PermissionDenied):
    """A refusal the person may read: the error page (``403.html``, or ``429.html`` when
    ``status_code`` is 429) and the API show ``message``, in their language. Apps subclass it
    (moderation: a blocked account, posting too fast); a bare PermissionDenied says nothing
    more than "no access"."""

    status_code = 403

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def json_error(
    status: int, detail: str, *, field: str = "", location: str = "", code: str = ""
) -> JsonResponse:
    """``detail`` for the whole answer; with a ``code``, one entry naming the field at fault."""
    errors = (
        [{"field": field, "location": location, "code": code, "message": detail}] if code else []
    )
    return JsonResponse({"detail": detail, "errors": errors}, status=status)
