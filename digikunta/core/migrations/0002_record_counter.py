from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_add_request_receipt"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("series", models.CharField(max_length=20)),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "record counter",
                "verbose_name_plural": "record counters",
                "constraints": [models.UniqueConstraint(fields=("series", "year"), name="record_counter_once")],
            },
        ),
    ]
