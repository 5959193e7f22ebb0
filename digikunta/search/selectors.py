"""Full-text search over any model's queryset, on SQLite (FTS5) and PostgreSQL (tsvector + GIN)."""

from collections.abc import Sequence
from string import Formatter
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models import F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import Expression

from digikunta.search.analysis import QueryWord, parse_query
from digikunta.search.models import SearchEntry

M = TypeVar("M", bound=models.Model)

# Title terms weigh ten times body terms in FTS5's BM25; PostgreSQL's ts_rank weighs the
# title's 'A' at 1.0 and the body's 'B' at 0.4.
#
# SQLite ranks in one FTS5 pass per query: the ranked matches are materialised once (OP_Once),
# then looked up per result row. CROSS JOIN keeps the FTS table as the outer loop. The other
# way round SQLite evaluates MATCH once per entry, and a bm25() per result row rescans the FTS
# index each time: both are quadratic (80 s instead of 0.15 s for 20,000 matches).
SQLITE_RANK = (
    "(WITH search_ranked AS MATERIALIZED ("
    "SELECT search_entry.object_id AS object_id,"
    " -bm25(search_searchentry_fts, 10.0, 1.0) AS rank"
    " FROM search_searchentry_fts"
    " CROSS JOIN search_searchentry search_entry"
    " INDEXED BY search_searchentry_match_lookup"
    " ON search_entry.id = search_searchentry_fts.rowid"
    " WHERE search_searchentry_fts MATCH {1} AND search_entry.content_type_id = {2})"
    " SELECT rank FROM search_ranked WHERE object_id = {0})"
)
# The objects of the matches, read from the covering index of migration 0004: a search
# entry's own row is long (its terms), and reading its columns walks overflow pages.
SQLITE_MATCH = (
    "{0} IN (SELECT search_entry.object_id FROM search_searchentry_fts"
    " CROSS JOIN search_searchentry search_entry"
    " INDEXED BY search_searchentry_match_lookup"
    " ON search_entry.id = search_searchentry_fts.rowid"
    " WHERE search_searchentry_fts MATCH {1} AND search_entry.content_type_id = {2})"
)
# {0} is the stored, GIN-indexed search_vector column of migration 0003 (title A, body B).
POSTGRESQL_MATCH = "{0} @@ to_tsquery('simple', {1})"
POSTGRESQL_RANK = "ts_rank({0}, to_tsquery('simple', {1}))"


class UnmanagedColumn(Expression):
    """A column Django's model does not declare (PostgreSQL's generated ``search_vector``),
    with the same table alias as ``sibling``, a column it does declare."""

    def __init__(self, sibling: str, column: str, *, output_field: models.Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.sibling = F(sibling)
        self.column = column

    def get_source_expressions(self) -> list[Any]:
        return [self.sibling]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.sibling,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.sibling)
        table, _dot, _name = sql.rpartition(".")
        column = connection.ops.quote_name(self.column)
        return (f"{table}.{column}" if table else column), params


class SqlTemplate(Expression):
    """SQL with ``{0}``, ``{1}``… replaced by compiled expressions, parameters kept bound.

    Columns are compiled by Django, so they carry the right table alias inside subqueries.
    """

    def __init__(
        self, template: str, *expressions: Any, output_field: models.Field[Any, Any]
    ) -> None:
        super().__init__(output_field=output_field)
        self.template = template
        self.expressions = list(expressions)

    def get_source_expressions(self) -> list[Any]:
        return self.expressions

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.expressions = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        compiled = [compiler.compile(expression) for expression in self.expressions]
        order = [int(name) for _, name, _, _ in Formatter().parse(self.template) if name]
        sql = self.template.format(*(part for part, _ in compiled))
        return sql, [param for index in order for param in compiled[index][1]]


def _fts5_term(term: str, *, prefix: bool = False) -> str:
    # Terms are letters and digits only (analysis.WORD); quoting still keeps FTS5 operators out.
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def _tsquery_term(term: str, *, prefix: bool = False) -> str:
    escaped = term.replace("\\", "\\\\").replace("'", "''")
    return "'" + escaped + "'" + (":*" if prefix else "")


def _query_text(words: list[QueryWord], *, vendor: str) -> str:
    """A match expression: every word must match, through any one of its alternatives."""
    quote = _fts5_term if vendor == "sqlite" else _tsquery_term
    either, both = (" OR ", " AND ") if vendor == "sqlite" else (" | ", " & ")
    groups = []
    for word in words:
        terms = [quote(term) for term in sorted(word.alternatives)]
        if word.is_prefix:
            terms.append(quote(word.token, prefix=True))
        groups.append("(" + either.join(terms) + ")")
    return both.join(groups)


def search(queryset: models.QuerySet[M], query: str) -> models.QuerySet[M]:
    """Objects of ``queryset`` matching ``query``, annotated with ``search_rank``, best first.

    Every query word must match (through any of its Finnish, Swedish or English forms); the last
    word also matches as a prefix for type-ahead. Ties are ordered by primary key. The result is
    a lazy QuerySet (one SQL query): filter, count and paginate it as usual. A query without
    words (empty, punctuation, stop words) finds nothing. The model's primary key must be an
    integer, and its objects must have been indexed with services.index_object.
    """
    words = parse_query(query)
    if not words:
        nothing: models.QuerySet[M] = queryset.annotate(
            search_rank=Value(0.0, output_field=FloatField())
        ).none()
        return nothing
    vendor = connections[queryset.db].vendor
    text = Value(_query_text(words, vendor=vendor))
    # The content type's id, cached in the process: no join to django_content_type per row.
    content_type = ContentType.objects.get_for_model(queryset.model, for_concrete_model=True)
    entries = SearchEntry.objects.filter(content_type_id=content_type.pk)
    rank: SqlTemplate | Subquery
    if vendor == "sqlite":
        match = SqlTemplate(
            SQLITE_MATCH, F("pk"), text, Value(content_type.pk), output_field=models.BooleanField()
        )
        rank = SqlTemplate(
            SQLITE_RANK, F("pk"), text, Value(content_type.pk), output_field=FloatField()
        )
    elif vendor == "postgresql":
        vector = UnmanagedColumn("title_terms", "search_vector", output_field=models.TextField())
        columns = (vector, text)
        match = SqlTemplate(POSTGRESQL_MATCH, *columns, output_field=models.BooleanField())
        ranks = entries.filter(object_id=OuterRef("pk")).annotate(
            rank=SqlTemplate(POSTGRESQL_RANK, *columns, output_field=FloatField())
        )
        rank = Subquery(ranks.values("rank")[:1], output_field=FloatField())
    else:
        raise NotImplementedError(f"Search has no full-text index for {vendor}.")
    found = Q(match) if vendor == "sqlite" else Q(pk__in=entries.filter(match).values("object_id"))
    # annotate() keeps the model; django-stubs cannot follow M through it.
    ranked: models.QuerySet[M] = queryset.filter(found).annotate(search_rank=rank)
    return ranked.order_by("-search_rank", "pk")


def entry_count() -> int:
    """How many objects the search index holds (the staff status page)."""
    return SearchEntry.objects.count()
