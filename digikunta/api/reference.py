"""An accessible, server-rendered API reference built from the OpenAPI document.

Swagger UI fails WCAG 2.1 AA (contrast, nested interactive controls), so the browsable docs are
our own page in our own layout; the OpenAPI JSON stays the machine-readable source.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

METHODS = ("get", "post", "put", "patch", "delete")


def _type_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        names = [_type_name(s) for s in schema["anyOf"] if s.get("type") != "null"]
        nullable = any(s.get("type") == "null" for s in schema["anyOf"])
        return " | ".join(names) + (" | null" if nullable else "")
    if schema.get("type") == "array":
        return f"list[{_type_name(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(f'"{value}"' for value in schema["enum"])
    return schema.get("format") or schema.get("type", "any")


def _constraints(schema: dict[str, Any]) -> str:
    parts = []
    for key, label in (
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("pattern", "pattern"),
        ("default", "default"),
    ):
        value = schema.get(key)
        if value is None and "anyOf" in schema:
            value = next((s.get(key) for s in schema["anyOf"] if key in s), None)
        if value is not None:
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            result.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "needs_token": bool(operation.get("security")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type_name(p.get("schema", {})),
                            "constraints": _constraints(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _type_name(body["schema"]) if body else "",
                    "responses": [
                        {
                            "status": status,
                            "type": _type_name(
                                response.get("content", {})
                                .get("application/json", {})
                                .get("schema", {})
                            )
                            if response.get("content")
                            else "",
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return result


def schemas(document: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name in {"Input"}:
            continue
        required = set(schema.get("required", []))
        result.append(
            {
                "name": name,
                "enum": schema.get("enum", []),
                "fields": [
                    {
                        "name": field,
                        "type": _type_name(spec),
                        "required": field in required,
                        "constraints": _constraints(spec),
                        "description": spec.get("description", ""),
                    }
                    for field, spec in schema.get("properties", {}).items()
                ],
            }
        )
    return result


@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    from digikunta.api.api import api

    document = api.get_openapi_schema()
    context = {
        "info": document["info"],
        "operations": operations(document),
        "schemas": schemas(document),
    }
    return render(request, "api/api_reference.html", context)
