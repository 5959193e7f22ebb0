"""Markdown that people write, rendered once on write and sanitised: journal entries, ideas,
comments (issue 11 moved it here from the experiments' journal, for every app that takes text).

Markdown (CommonMark, parsed by cmark in linear time) is rendered and then sanitised with
nh3 (an allow-list), so a text can carry headings, lists and links but never scripts or styles.
The services render once, when a text is written, and store the HTML; pages and the API show the
stored HTML and never parse Markdown on a view (issue 8).
"""

import re

import nh3
from cmarkgfm import cmark
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre",
}  # fmt: skip


# The longest text, in characters: about ten pages, far more than a diary note needs.
# Rendering is linear in the length (about 10 µs a character for the worst input, a run of "[";
# docs/benchmarks.md "Journal Markdown"), so the cap bounds the cost of one write.
MAX_BODY_CHARS = 20_000

# Python-Markdown took quadratic time on runs of "[", nested brackets and unclosed links (20,000
# "[" took 40 s) and raised RecursionError on ~1,000 nested lists (issue 8). cmark, CommonMark's
# reference parser in C (through cmarkgfm, the binding PyPI's own README rendering uses), is
# linear by design and renders the worst input of the corpus in milliseconds (docs/decisions/
# 0010). Its safe mode, the default, leaves raw HTML out and drops javascript: and data: links,
# so every tag in its output is one it wrote itself. nh3 (html5ever) is quadratic in the depth of
# nesting (20,000 ">" took a second), so quotes and lists deeper than MAX_NESTING tags are
# flattened before sanitising: their text stays, their nesting goes.
MAX_NESTING = 20
_NESTING_TAG = re.compile(r"<(/?)(?:blockquote|ul|ol|li)\b[^>]*>")
_CMARK_OPTIONS = cmark.Options.CMARK_OPT_VALIDATE_UTF8
# cmark's safe mode empties the address of a javascript: link; such a link becomes its text.
_EMPTIED_LINK = re.compile(r'<a href=""[^>]*>(.*?)</a>', re.DOTALL)


def _flatten_deep_nesting(html: str) -> str:
    """Drop the quote and list tags nested deeper than MAX_NESTING, in one pass.

    Only for cmark's own output, which is well formed: each closing tag matches the last open."""
    kept: list[bool] = []

    def visit(tag: re.Match[str]) -> str:
        if tag.group(1):  # a closing tag
            return tag.group(0) if kept.pop() else ""
        kept.append(len(kept) < MAX_NESTING)
        return tag.group(0) if kept[-1] else ""

    return _NESTING_TAG.sub(visit, html)


def check_body_length(value: str) -> None:
    """The text is at most MAX_BODY_CHARS characters (the model field's validator)."""
    if len(value) > MAX_BODY_CHARS:
        raise ValidationError(
            _("The text is %(length)s characters; shorten it to at most %(limit)s.")
            % {
                "length": number_format(len(value), force_grouping=True),
                "limit": number_format(MAX_BODY_CHARS, force_grouping=True),
            },
            code="too_long",
        )


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, sanitised: only ALLOWED_TAGS, links get rel="nofollow noopener".

    Called by the services on write only; the result is stored (JournalEntry.body_html)."""
    html = _flatten_deep_nesting(cmark.markdown_to_html(text, options=_CMARK_OPTIONS))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(_EMPTIED_LINK.sub(r"\1", clean))  # noqa: S308 - sanitised by nh3 above
