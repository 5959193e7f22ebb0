"""Decisions become administrative decisions (issue 10): a record number per year, the
decision-maker, the legal basis and appeal instructions; instalments become payable, and a
coordinator records the payments."""

import django.db.models.deletion
from decimal import Decimal

import django.core.validators
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def number_existing(apps, schema_editor):
    """Give the decisions made before record numbers theirs, in the order they were made, and
    keep the counters in step, so new numbers continue the series."""
    Decision = apps.get_model("funding", "Decision")
    RecordCounter = apps.get_model("core", "RecordCounter")
    last: dict[int, int] = {}
    for decision in Decision.objects.select_related("decided_by", "application").order_by(
        "decided_at", "pk"
    ):
        year = timezone.localtime(decision.decided_at).year
        last[year] = last.get(year, 0) + 1
        decision.record_number = f"DK/{year}/{last[year]:06d}"
        decision.language = decision.application.language or "fi"
        person = decision.decided_by
        decision.decision_maker_name = (person.name if person else "") or "—"
        decision.decision_maker_title = getattr(person, "contact_title", "") or "—"
        decision.save()
    for year, number in last.items():
        RecordCounter.objects.update_or_create(series="DK", year=year, defaults={"last": number})




class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_record_counter"),
        ("funding", "0003_protect_review_scores_and_decisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="legal_basis",
            field=models.TextField(
                blank=True,
                help_text="The laws and rules the decisions rest on; printed on every decision.",
                verbose_name="legal basis in Finnish",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="legal_basis_sv",
            field=models.TextField(blank=True, verbose_name="legal basis in Swedish"),
        ),
        migrations.AddField(
            model_name="call",
            name="appeal_instructions",
            field=models.TextField(
                blank=True,
                help_text="How to request a review of a decision (oikaisuvaatimusohje): to whom, by when and how. Printed on every decision.",
                verbose_name="appeal instructions in Finnish",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="appeal_instructions_sv",
            field=models.TextField(blank=True, verbose_name="appeal instructions in Swedish"),
        ),
        migrations.AddField(
            model_name="decision",
            name="record_number",
            field=models.CharField(max_length=30, null=True, verbose_name="record number"),
        ),
        migrations.AddField(
            model_name="decision",
            name="language",
            field=models.CharField(default="fi", max_length=2, verbose_name="language"),
        ),
        migrations.AddField(
            model_name="decision",
            name="decision_maker_name",
            field=models.CharField(default="", max_length=200, verbose_name="decision-maker"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decision",
            name="decision_maker_title",
            field=models.CharField(default="", max_length=200, verbose_name="decision-maker's title"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decision",
            name="legal_basis",
            field=models.TextField(blank=True, verbose_name="legal basis"),
        ),
        migrations.AddField(
            model_name="decision",
            name="appeal_instructions",
            field=models.TextField(blank=True, verbose_name="appeal instructions"),
        ),
        migrations.AddField(
            model_name="decision",
            name="document",
            field=models.FileField(blank=True, upload_to="decisions/%Y/", verbose_name="decision document"),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="record_number",
            field=models.CharField(max_length=30, unique=True, verbose_name="record number"),
        ),
        migrations.RenameField(model_name="instalment", old_name="released_at", new_name="payable_at"),
        migrations.AlterField(
            model_name="instalment",
            name="payable_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="payable since"),
        ),
        migrations.RemoveField(model_name="instalment", name="released_by"),
        migrations.AlterField(
            model_name="instalment",
            name="trigger",
            field=models.CharField(
                choices=[
                    ("approval", "on approval"),
                    ("interim_report", "on the interim report"),
                    ("final_report", "on the final report"),
                ],
                max_length=16,
                verbose_name="payable",
            ),
        ),
        migrations.CreateModel(
            name="Payment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("paid_on", models.DateField(verbose_name="payment date")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                        verbose_name="amount (€)",
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        help_text="The voucher or transaction number in the bookkeeping.",
                        max_length=100,
                        verbose_name="payment reference",
                    ),
                ),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "instalment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="payments", to="funding.instalment"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "payment", "verbose_name_plural": "payments", "ordering": ["paid_on", "pk"]},
        ),
    ]
