"""What core tells the apps above it, which it does not know (the audit trail records these)."""

from django.dispatch import Signal

# Sent before a backup is written, so that its own record is in it. No arguments.
backup_started = Signal()
# Sent once a backup has replaced the data; ``created_at`` is when that backup was taken.
backup_restored = Signal()
