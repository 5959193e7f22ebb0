"""Which organisation writes stale which cached pages (core/pagecache.py, ADR 0012).

``organisation:<slug>`` is an organisation's page. ``NAMES`` stands for what other pages show
of organisations (owners of experiments, partners, organisers, applicants, the organisation
list): bumped when one is created, deleted or renamed. A membership shows only when its person
is open for contact (the organisation's and its municipality's pages); invitations stale
nothing.
"""

from collections.abc import Iterable

from digikunta.core import pagecache
from digikunta.core.pagecache import Change
from digikunta.municipalities.pages import municipality_key
from digikunta.organisations.models import Membership, Organisation

NAMES = "organisations:names"


def organisation_key(slug: str) -> str:
    return f"organisation:{slug}"


def _organisation_keys(organisation: Organisation, change: Change) -> Iterable[str]:
    yield organisation_key(organisation.slug)
    if change.changed:
        yield NAMES
    if organisation.municipality_id:  # the municipality's page links to it
        yield municipality_key(organisation.municipality_id)


pagecache.register(
    Organisation, _organisation_keys, fields=("name", "name_sv", "kind", "slug", "municipality")
)


def _membership_keys(membership: Membership, change: Change) -> Iterable[str]:
    # A membership shows on a public page only as a contact: a person open for contact
    # joining or leaving changes their organisation's page and its municipality's.
    if not membership.user.open_for_contact:
        return
    organisation = membership.organisation
    yield organisation_key(organisation.slug)
    for code in (organisation.municipality_id, organisation.home_municipality_id):
        if code:
            yield municipality_key(code)


pagecache.register(Membership, _membership_keys)
