"""Which account writes stale which cached pages (core/pagecache.py, ADR 0012).

Pages show people only by name (journal authors, team, stages): ``PEOPLE`` is bumped when a
name changes. A login (``last_login``), a password, a role or an API token stales nothing.
"""

from digikunta.accounts.models import User
from digikunta.core import pagecache

PEOPLE = "people:names"

pagecache.register(
    User, lambda user, change: [PEOPLE] if change.changed else [], fields=("name", "email")
)
