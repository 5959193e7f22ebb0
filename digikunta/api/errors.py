"""API errors in the client's language (Accept-Language), naming the field at fault."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from digikunta.api.parser import BodyRefused, control_characters_message
from digikunta.core.errors import Refused


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value of at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_long":
        return _("Use at most %(max)s characters.") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Use at least %(min)s characters.") % {"min": ctx.get("min_length")}
    if kind in {"enum", "literal_error"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"json_invalid", "model_attributes_type", "model_type", "dict_type"}:
        return _("Send the request body as a JSON object.")
    if kind in {"string_type"}:
        return _("Enter text.")
    if kind == "string_control_character":
        return control_characters_message()
    if kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"}:
        return _("Enter a number, not NaN or infinity.")
    if kind in {"decimal_max_digits", "decimal_whole_digits", "decimal_max_places"}:
        return _("Use at most %(digits)s digits, %(places)s of them after the point.") % {
            "digits": ctx.get("max_digits", "?"),
            "places": ctx.get("decimal_places", "?"),
        }
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"date_parsing", "date_type", "date_from_datetime_parsing"}:
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Send a list.")
    if kind == "too_short":
        return _("Send at least %(min)s items.") % {"min": ctx.get("min_length")}
    if kind == "too_long":
        return _("Send at most %(max)s items.") % {"max": ctx.get("max_length")}
    if kind in {"url_parsing", "url_type", "url_scheme"}:
        return _("Enter a full web address beginning with https://.")
    return _("Check this value.")


def _field(loc: list[Any] | tuple[Any, ...]) -> tuple[str, str]:
    parts = [str(p) for p in loc]
    location = parts[0] if parts else ""
    # Drop the location and ninja's wrapper names ("payload", "filters", "pagination").
    rest = [p for p in parts[1:] if p not in {"payload", "filters", "pagination"}]
    return location, ".".join(rest)


def error_response(
    api: NinjaAPI, request: HttpRequest, errors: list[dict[str, Any]], status: int
) -> HttpResponse:
    fields = ", ".join(e["field"] for e in errors if e.get("field"))
    detail = (
        _("Check these fields: %(fields)s.") % {"fields": fields}
        if fields
        else (errors[0]["message"] if errors else _("The request could not be handled."))
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            location, field = _field(error.get("loc", ()))
            errors.append(
                {
                    "field": field,
                    "location": location,
                    "code": error.get("type", "invalid"),
                    "message": _message(error),
                }
            )
        return error_response(api, request, errors, 422)

    @api.exception_handler(DjangoValidationError)
    def domain_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = []
        if hasattr(exc, "error_dict"):
            for field, field_errors in exc.message_dict.items():
                for message in field_errors:
                    errors.append(
                        {
                            "field": "" if field == "__all__" else field,
                            "location": "body",
                            "code": "invalid",
                            "message": message,
                        }
                    )
        else:
            errors = [
                {"field": "", "location": "body", "code": "invalid", "message": m}
                for m in exc.messages
            ]
        return error_response(api, request, errors, 422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            {
                "detail": _("Send a valid personal API token as Authorization: Bearer <token>."),
                "errors": [],
            },
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="digikunta"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        refused = exc.__cause__
        if isinstance(refused, BodyRefused):  # raised by digikunta.api.parser, wrapped by ninja
            error = refused.as_error()
            return error_response(api, request, [error], refused.status)
        return api.create_response(
            request, {"detail": str(exc), "errors": []}, status=exc.status_code
        )


def install_not_found(api: NinjaAPI) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        if isinstance(exc, Refused):  # says why: a blocked account, posting too fast
            body = {"detail": exc.message, "errors": []}
            return api.create_response(request, body, status=exc.status_code)
        return api.create_response(
            request, {"detail": _("Your account may not do this."), "errors": []}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found."), "errors": []}, status=404)
