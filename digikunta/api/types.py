"""The API's input types: every number and text a client sends has a bound.

Django's ORM does not guard its inputs: ``filter(pk__in=[2**70])`` raises OverflowError on
SQLite, and a number past 64 bits reaches PostgreSQL as a DataError. Both were 500s (issue 8,
finding 10). Use these types for every id, count and position in an input schema or path, so
that the bound is checked, documented in the OpenAPI document and answered as a 422 naming the
field. Control characters and nesting depth are checked for every body in
``digikunta.api.parser``.
"""

from typing import Annotated

from ninja import Field, Path

from digikunta.core.converters import MAX_ID

# A row's id, in a body or a query: 1 … 2**63 - 1 (BigAutoField).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# A row's id in the path; pair with the ``{id:name}`` converter so that longer numbers are
# not found (404) before they are validated.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]

# A version counter, a position or another count a client echoes back: fits a 32-bit column.
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]

# An address (slug) in the path: letters, digits, hyphens and underscores, as slugify writes
# them. A NUL byte or anything else is a 422 before it reaches the database (PostgreSQL
# refuses NUL in text with an error, which was a 500).
Slug = Annotated[str, Path(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]
