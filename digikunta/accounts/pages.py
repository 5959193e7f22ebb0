"""Which account writes stale which cached pages (core/pagecache.py, ADR 0012).

Pages show people by name (journal authors, team, stages) and, for those open for contact,
with their title and e-mail address (organisation and municipality pages): ``PEOPLE`` is
bumped when one of these changes. A login (``last_login``), a password, a role or an API
token stales nothing.
"""

from digikunta.accounts.models import User
from digikunta.core import pagecache
from digikunta.core.pagecache import Change

PEOPLE = "people:names"


def _user_keys(user: User, change: Change) -> list[str]:
    # A new account is named nowhere yet; a renamed or deleted one may be.
    return [PEOPLE] if change.changed and not change.created else []


pagecache.register(User, _user_keys, fields=("name", "email", "open_for_contact", "contact_title"))
