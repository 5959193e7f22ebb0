"""The background worker in a test: what the tests of queued tasks share."""

import signal

from django.core.management import call_command


def run_worker() -> None:
    """What waits, run as `db_worker --batch` does; the worker's signal handlers are put back
    afterwards, so later tests in this process see the defaults."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name=*")
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
