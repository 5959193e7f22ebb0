"""URL converters that keep what a client types in the range the database can hold.

Django's ``<int:…>`` matches any run of digits, and a 30-digit id reaches the ORM, which on
SQLite raises OverflowError and on PostgreSQL DataError: a 500 for a mistyped address (issue
8, finding 10). ``<id:…>`` matches only ids a 64-bit primary key can have; any other address
is simply not found. Registered under a new name: overriding the built-in ``int`` is
deprecated since Django 5.1.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1  # BigAutoField, DEFAULT_AUTO_FIELD


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver tries the next pattern, then answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")
