"""How the API reads a request: JSON and query strings a database can store (issue 8).

Three things Python's ``json`` accepts pass through to the database or the interpreter's
limits and came back as 500s:

- a NUL byte (``\\u0000``) in a string: PostgreSQL refuses it in text (DataError), and a lone
  surrogate (``\\ud800``) cannot be encoded for it at all; other C0 control characters are
  refused too, since no field of ours holds them;
- arrays nested thousands deep: ``json.loads`` raises RecursionError;
- ``NaN``, ``Infinity`` and ``1e400``, which are not numbers a sum can be, and integers of
  thousands of digits (ValueError past ``sys.get_int_max_str_digits``).

Every body and query string is checked here, once, for every operation, so a new schema needs
nothing of its own. A refusal names the field, in the documented ``{detail, errors}`` shape
(``digikunta.api.errors``).
"""

import json
import math
import re
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.parser import Parser

MAX_DEPTH = 32  # our deepest schema nests three levels
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class BodyRefused(Exception):
    """A body the API will not read. ninja wraps a parser's exception in HttpError(400);
    ``digikunta.api.errors`` unwraps this one into its own status and message."""

    def __init__(self, *, status: int, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def as_error(self) -> dict[str, str]:
        return {
            "field": self.field,
            "location": "body",
            "code": self.code,
            "message": self.message,
        }


def _not_a_number(name: str) -> float:
    return math.nan  # NaN, Infinity, -Infinity: refused with their field in _check


def _too_deep() -> BodyRefused:
    return BodyRefused(
        status=422,
        code="json_too_deep",
        message=_("Nest the request body at most %(max)s levels deep.") % {"max": MAX_DEPTH},
    )


def control_characters_message() -> str:
    return _("Remove the control characters (such as NUL) from this text.")


def _check(value: Any, path: tuple[str, ...], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _too_deep()
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            raise BodyRefused(
                status=422,
                code="string_control_character",
                message=control_characters_message(),
                field=".".join(path),
            )
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BodyRefused(
                status=422,
                code="finite_number",
                message=_("Enter a number, not NaN or infinity."),
                field=".".join(path),
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, (*path, key), depth + 1)
            _check(item, (*path, key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, (*path, str(index)), depth + 1)


class BoundedParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body, parse_constant=_not_a_number)
        except RecursionError:
            raise _too_deep() from None
        except ValueError:  # JSONDecodeError, UnicodeDecodeError, an int of 5,000 digits
            raise BodyRefused(
                status=400,
                code="json_invalid",
                message=_("Send the request body as a JSON object."),
            ) from None
        if not isinstance(data, dict):  # ninja would read [] or 42 as an empty body
            raise BodyRefused(
                status=422, code="model_type", message=_("Send the request body as a JSON object.")
            )
        _check(data, (), 0)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        errors = [
            {"type": "string_control_character", "loc": ("query", key), "msg": ""}
            for key, values in data.lists()
            if any(isinstance(v, str) and UNSTORABLE.search(v) for v in [key, *values])
        ]
        if errors:
            raise ValidationError(errors)
        return super().parse_querydict(data, list_fields, request)
