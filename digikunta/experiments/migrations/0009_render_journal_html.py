"""Render the Markdown of the journal entries and versions written before body_html existed."""

from django.db import migrations

# An app import in a migration, on purpose: the stored HTML must come from the one renderer and
# sanitiser that the services use on write, or the templates would show HTML that nh3 never
# checked. render_markdown is a pure function of the text (no models), so a later change to it
# cannot break this migration's use of the database.
from digikunta.core.markdown import render_markdown

BATCH = 500


def render_stored(apps, schema_editor):
    for name in ("JournalEntry", "JournalEntryVersion"):
        model = apps.get_model("experiments", name)
        last = 0
        # Pages by primary key: no cursor stays open while the rows are written.
        rows = model.objects.order_by("pk").only("pk", "body")
        while batch := list(rows.filter(pk__gt=last)[:BATCH]):
            for row in batch:
                row.body_html = render_markdown(row.body)
            model.objects.bulk_update(batch, ["body_html"])
            last = batch[-1].pk


def forget_rendered(apps, schema_editor):
    # Going back to 0007 keeps the column; empty it so that a later forward run renders afresh.
    for name in ("JournalEntry", "JournalEntryVersion"):
        apps.get_model("experiments", name).objects.update(body_html="")


class Migration(migrations.Migration):
    dependencies = [
        ("experiments", "0008_journal_body_html"),
    ]

    operations = [
        migrations.RunPython(render_stored, forget_rendered),
    ]
