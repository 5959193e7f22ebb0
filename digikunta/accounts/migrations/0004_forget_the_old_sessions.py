"""Sessions moved to accounts.Session (ADR 0015): the rows left in Django's own table name
people (their ids, pending logins, e-mail addresses) and would never expire or be erased."""

from django.db import migrations


def forget_old_sessions(apps, schema_editor):
    apps.get_model("sessions", "Session").objects.using(schema_editor.connection.alias).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_session_user_without_constraint"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget_old_sessions, migrations.RunPython.noop)]
