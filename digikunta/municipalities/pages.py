"""Which writes of reference data stale which cached pages (core/pagecache.py, ADR 0012).

``municipality:<code>`` is a municipality's page, ``LISTING`` the municipality list. Their
names are shown on many other pages, which depend on ``pagecache.REFERENCE``.
"""

from collections.abc import Iterable

from digikunta.core import pagecache
from digikunta.core.pagecache import REFERENCE, Change
from digikunta.municipalities.models import Municipality, Region

LISTING = "municipalities:list"
NAMES = ("name_fi", "name_sv", "name_en")


def municipality_key(code: str) -> str:
    return f"municipality:{code}"


def _municipality_keys(municipality: Municipality, change: Change) -> Iterable[str]:
    yield municipality_key(municipality.code)
    yield LISTING
    if change.changed:  # a name or region, shown wherever the municipality is named
        yield REFERENCE


pagecache.register(Municipality, _municipality_keys, fields=(*NAMES, "region"))
pagecache.register(Region, lambda region, change: [REFERENCE, LISTING])
