"""What core itself stores: receipts of requests that must not be carried out twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestReceipt(models.Model):
    """A create request seen once: an API call's ``Idempotency-Key`` or a form's submission token.

    ``scope`` is a hash of who sent it (the API token, or the signed-in person), so one person's
    key never answers another's request; ``fingerprint`` is a hash of the method, path and body,
    so a key reused for a different request is refused instead of replayed. The stored answer
    is what the first request got (docs/api.md, "Repeated requests"): it may hold the sender's
    own data, so the receipt is deleted with the person. Kept for RETENTION (core/repeats.py).
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    is_complete = models.BooleanField(default=False)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    # The answer may name its sender: the receipt goes with the person's erasure.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    personal_fields = ("key", "status", "created_at")  # docs/privacy.md

    class Meta:
        verbose_name = _("request receipt")
        verbose_name_plural = _("request receipts")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="request_receipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or '…'})"


class RecordCounter(models.Model):
    """The last record number (diaarinumero) given in a series in a year (core/records.py)."""

    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("record counter")
        verbose_name_plural = _("record counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="record_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last}"
