"""Log filters that keep personal data out of the logs."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class PersonalDataFilter(logging.Filter):
    """Masks e-mail addresses in every log record; the last guard, not the first.

    Our own log calls pass only ids and counts; this catches what third-party code formats in.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if EMAIL.search(message):
            record.msg = EMAIL.sub("[email]", message)
            record.args = ()
        return True
