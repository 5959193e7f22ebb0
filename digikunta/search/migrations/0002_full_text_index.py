"""The full-text index over search_searchentry's terms: FTS5 on SQLite, GIN on PostgreSQL.

The terms are already analysed (docs/search.md), so both databases only split them at spaces:
FTS5's unicode61 tokenizer without diacritic removal (ä, ö and å are letters in Finnish) and
PostgreSQL's 'simple' configuration. The selectors repeat these names and the PostgreSQL
expression exactly; change them together.

On SQLite, a migration that rebuilds search_searchentry (most AlterField operations) drops the
triggers below: such a migration must create them again (a test checks they exist).
"""

from django.db import migrations

SQLITE_FORWARDS = [
    """
    CREATE VIRTUAL TABLE search_searchentry_fts USING fts5(
        title_terms, body_terms,
        content='search_searchentry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0"
    )
    """,
    """
    CREATE TRIGGER search_searchentry_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END
    """,
    """
    CREATE TRIGGER search_searchentry_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END
    """,
    """
    CREATE TRIGGER search_searchentry_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO search_searchentry_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END
    """,
    "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_searchentry_fts_update",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_insert",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]
POSTGRESQL_FORWARDS = [
    """
    CREATE INDEX search_searchentry_terms_gin ON search_searchentry USING gin ((
        setweight(to_tsvector('simple', title_terms), 'A')
        || setweight(to_tsvector('simple', body_terms), 'B')
    ))
    """
]
POSTGRESQL_BACKWARDS = ["DROP INDEX IF EXISTS search_searchentry_terms_gin"]


def _run(schema_editor, statements_by_vendor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise NotImplementedError(f"Search has no full-text index for {vendor}.")
    for statement in statements_by_vendor[vendor]:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRESQL_FORWARDS})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRESQL_BACKWARDS})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
