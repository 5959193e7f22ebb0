"""PostgreSQL: store the weighted tsvector in a generated column and index that.

The GIN index of 0002 is on an expression, so it finds matches, but ranking them with
ts_rank recomputed to_tsvector for every matching row: 2.5 s for 9,000 matches among 50,000
experiments (docs/benchmarks.md). A stored column is computed once per write. Django does not
know the column (SQLite has no tsvector); the selectors name it. SQLite is unchanged.
"""

from django.db import migrations

FORWARDS = [
    """
    ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_terms), 'A')
        || setweight(to_tsvector('simple', body_terms), 'B')
    ) STORED
    """,
    "CREATE INDEX search_searchentry_vector_gin ON search_searchentry USING gin (search_vector)",
    "DROP INDEX IF EXISTS search_searchentry_terms_gin",
]
BACKWARDS = [
    """
    CREATE INDEX search_searchentry_terms_gin ON search_searchentry USING gin ((
        setweight(to_tsvector('simple', title_terms), 'A')
        || setweight(to_tsvector('simple', body_terms), 'B')
    ))
    """,
    "ALTER TABLE search_searchentry DROP COLUMN search_vector",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(forwards, backwards)]
