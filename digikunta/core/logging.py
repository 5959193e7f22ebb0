"""Log filters that keep personal data out of the logs."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class PersonalDataFilter(logging.Filter):
    """Masks e-mail addresses in every log record; the last guard, not the first.

    Our own log calls pass only ids and counts; this catches what third-party code formats in.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # Django's request loggers attach the request, whose path and query may name a person.
        request = getattr(record, "request", None)
        if request is not None:
            match = getattr(request, "resolver_match", None)
            record.request = f"{request.method} {match.route if match else '-'}"
        message = record.getMessage()
        if EMAIL.search(message):
            record.msg = EMAIL.sub("[email]", message)
            record.args = ()
        return True
