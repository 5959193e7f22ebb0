"""Texts kept in Finnish and Swedish side by side (title / title_sv): which one a reader gets."""

from django.utils.translation import get_language


def in_language(finnish: str, swedish: str) -> str:
    """The Swedish text for a Swedish reader when there is one, otherwise the Finnish."""
    return (get_language() or "fi").startswith("sv") and swedish or finnish
