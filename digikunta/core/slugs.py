"""Readable, unique addresses: slugify folds ä, ö and å to a and o (NFKD), so "Hämeenlinna"
becomes "hameenlinna"."""

from django.db import models
from django.utils.text import slugify

# Addresses of pages beside the objects' own (experiments/new/, funding/mine/…).
RESERVED = frozenset(
    {"new", "mine", "applications", "reviews", "edit", "api", "themes", "profile", "ideas"}
)


def unique_slug(model: type[models.Model], text: str, *, max_length: int, fallback: str) -> str:
    """A slug of ``text`` not yet used by ``model`` nor reserved; "-2", "-3"… are added on a
    clash."""
    base = slugify(text)[:max_length] or fallback
    slug, n = base, 2
    while slug in RESERVED or model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
