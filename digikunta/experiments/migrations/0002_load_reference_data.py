"""Themes, target groups and life events (idempotent; the loader takes historical models)."""

from django.db import migrations


def load(apps, schema_editor):
    from digikunta.experiments.reference import load_experiment_reference_data

    load_experiment_reference_data(
        apps.get_model("experiments", "Theme"),
        apps.get_model("experiments", "TargetGroup"),
        apps.get_model("experiments", "LifeEvent"),
    )


class Migration(migrations.Migration):
    dependencies = [("experiments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
