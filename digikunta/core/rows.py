"""Rows read with one plain SELECT, for the few reads that every request of a hot page makes.

The ORM spends more on building a query (about 0.5 ms) than SQLite or PostgreSQL spend on an
indexed lookup of a few rows (issue 9). Here the SQL is written once per shape and the values
go through the same converters as the ORM's (SQLite's datetimes and booleans), so the rows are
what a queryset would give. Use it for the lookups that run on every request (the person, a
listing's rows by id), not for general reads: there the ORM's clarity wins.
"""

from collections import namedtuple
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connections, models, router

Converter = Callable[[Any, Any, Any], Any]
M = TypeVar("M", bound=models.Model)


def column_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The field of ``model`` whose attribute or name is ``name``, which must be a column."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def column_list(model: type[models.Model], names: Sequence[str], table: str = "") -> str:
    """``names``' columns, quoted, comma-separated, each prefixed with ``table.`` if given."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    prefix = f"{quote(table)}." if table else ""
    return ", ".join(prefix + quote(column_field(model, n).column) for n in names)


def concrete_names(model: type[models.Model]) -> list[str]:
    """Every column of ``model``, as from_db() expects them."""
    return [field.attname for field in model._meta.concrete_fields]


def _converters(
    model: type[models.Model], names: tuple[str, ...], connection: Any
) -> list[tuple[Any, list[Converter]]]:
    # Kept on the connection: the backend's converters are its own bound methods.
    memo = connection.__dict__.setdefault("_plain_converters", {})
    found: list[tuple[Any, list[Converter]]] | None = memo.get((model, names))
    if found is None:
        found = []
        for name in names:
            field = column_field(model, name)
            column = field.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(column)
            # Field.get_db_converters is missing from django-stubs 5.2.
            own = field.get_db_converters(connection)  # type: ignore[attr-defined]
            found.append((column, functions + own))
        memo[(model, names)] = found
    return found


def convert(
    model: type[models.Model], names: Sequence[str], values: Sequence[Any], using: str
) -> list[Any]:
    """``values`` of ``names`` as the ORM would give them (the backend's and the fields'
    converters), from a row of a plain cursor."""
    connection = connections[using]
    converted = list(values)
    for i, (column, functions) in enumerate(_converters(model, tuple(names), connection)):
        for function in functions:
            converted[i] = function(converted[i], column, connection)
    return converted


def instance(model: type[M], names: Sequence[str], values: Sequence[Any], using: str) -> M:
    """A model instance from a plain row of ``names`` (concrete_names for a whole one; the
    others are deferred)."""
    converted = convert(model, names, values, using)
    if list(names) != concrete_names(model)[: len(names)]:
        # from_db() takes a partial row in the model's field order, whatever the names say.
        order = {name: i for i, name in enumerate(concrete_names(model))}
        pairs = sorted(zip(names, converted, strict=True), key=lambda pair: order[pair[0]])
        names, converted = [n for n, _v in pairs], [v for _n, v in pairs]
    return model.from_db(using, list(names), converted)


@cache
def _row_type(model: type[models.Model], names: tuple[str, ...]) -> type:
    at = names.index(model._meta.pk.attname)
    base = namedtuple(f"{model.__name__}Row", names)  # type: ignore[misc]
    return type(base.__name__, (base,), {"__slots__": (), "pk": property(lambda r: r[at])})


def rows_by_id(model: type[models.Model], names: Sequence[str], ids: Sequence[int]) -> list[Any]:
    """The rows of ``ids`` with the fields ``names`` (attribute names; the primary key among
    them), as named tuples that also answer ``.pk``, in no particular order. Ids of no row
    are left out."""
    if not ids:
        return []
    names = tuple(names)
    using = router.db_for_read(model)
    connection = connections[using]
    pk = connection.ops.quote_name(model._meta.pk.column)
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = f"SELECT {column_list(model, names)} FROM {table} WHERE {pk} IN ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        rows = cursor.fetchall()
    row_type = _row_type(model, names)
    return [row_type(*convert(model, names, row, using)) for row in rows]


def one_where(
    model: type[M],
    field: str,
    value: Any,
    *,
    names: Sequence[str] | None = None,
    extras: Sequence[tuple[str, Sequence[Any]]] = (),
) -> tuple[M, list[Any]] | None:
    """The instance whose unique ``field`` is ``value``, with the columns ``names`` loaded
    (every one by default; the others are deferred, as with only()), and the values of
    ``extras``: SQL expressions over the row (alias ``t``) and their parameters, such as an
    EXISTS about the viewer. None when no row matches."""
    using = router.db_for_read(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    names = list(names) if names is not None else concrete_names(model)
    column = quote(column_field(model, field).column)
    more = "".join(f", {sql}" for sql, _params in extras)
    sql = (
        f"SELECT {column_list(model, names, 't')}{more}"  # noqa: S608
        f" FROM {quote(model._meta.db_table)} t WHERE t.{column} = %s"
    )
    params = [p for _sql, extra in extras for p in extra] + [value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return instance(model, names, row[: len(names)], using), list(row[len(names) :])
