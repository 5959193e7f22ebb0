"""Every Finnish region and municipality, and an organisation for each (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from digikunta.municipalities.reference import load_reference_data

    load_reference_data(
        apps.get_model("municipalities", "Region"),
        apps.get_model("municipalities", "Municipality"),
        apps.get_model("organisations", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("municipalities", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
