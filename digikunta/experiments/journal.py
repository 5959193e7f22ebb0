"""The light documentation model: Markdown text, photos and attachments, checked on the way in.

Markdown (CommonMark, parsed by cmark in linear time) is rendered and then sanitised with
nh3 (an allow-list), so a journal entry can carry headings, lists and links but never scripts or
styles. The services render once, when an entry is written, and store the HTML; pages and the API
show the stored HTML and never parse Markdown on a view (issue 8). Photos are opened with Pillow,
limited in size and pixels, re-encoded (which drops EXIF data such as the GPS position) and
thumbnailed.
"""

import codecs
import io
import mimetypes
import re
import uuid
from dataclasses import dataclass
from typing import cast

import nh3
from cmarkgfm import cmark
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_WIDTH = 800
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
# What an office file or PDF must begin with; anything else is refused whatever its name.
MAGIC = {
    ".pdf": (b"%PDF-",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre",
}  # fmt: skip


# The longest journal text, in characters: about ten pages, far more than a diary note needs.
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
    """The journal text is at most MAX_BODY_CHARS characters (the model field's validator)."""
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


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".0", "")


@dataclass
class ProcessedImage:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    width: int
    height: int


def process_image(upload: UploadedFile) -> ProcessedImage:
    """Check that ``upload`` is a real JPEG, PNG or WebP within the limits; re-encode it and
    make a thumbnail. Raises ValidationError with a message the person can act on."""
    size = cast(int, upload.size)  # None only for a file not uploaded through Django
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(size), "limit": _megabytes(MAX_IMAGE_BYTES)},
            code="too_large",
        )
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not an image we can read; use a JPEG, PNG or WebP photo."),
            code="not_an_image",
        ) from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Use a JPEG, PNG or WebP photo; this one is %(format)s.") % {"format": image_format},
            code="format",
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("The image is %(width)s × %(height)s pixels; use one of at most 40 megapixels.")
            % {"width": width, "height": height},
            code="too_many_pixels",
        )
    upload.seek(0)
    with Image.open(upload) as opened:
        original = ImageOps.exif_transpose(opened)
        if original.mode not in {"RGB", "RGBA", "L"}:
            original = original.convert("RGB")
        name = uuid.uuid4().hex
        extension = IMAGE_FORMATS[image_format]
        full = io.BytesIO()
        # Re-encoding without exif= drops the metadata (camera, time, GPS position).
        original.save(full, format=image_format, quality=88)
        thumb = original.copy()
        thumb.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 4))
        if thumb.mode == "RGBA":
            thumb = thumb.convert("RGB")
        small = io.BytesIO()
        thumb.save(small, format="JPEG", quality=82)
        return ProcessedImage(
            image=ContentFile(full.getvalue(), name=f"{name}.{extension}"),
            thumbnail=ContentFile(small.getvalue(), name=f"{name}-thumb.jpg"),
            width=original.width,
            height=original.height,
        )


def check_attachment(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an allowed document, checked by name, size and content."""
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("Attach a PDF, an office document (ODF or Microsoft Office), CSV or plain text."),
            code="type",
        )
    size = cast(int, upload.size)  # None only for a file not uploaded through Django
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(size), "limit": _megabytes(MAX_ATTACHMENT_BYTES)},
            code="too_large",
        )
    head = upload.read(8)
    upload.seek(0)
    if extension in MAGIC and not head.startswith(MAGIC[extension]):
        raise ValidationError(
            _("The file's content does not match its name %(name)s.") % {"name": name},
            code="content",
        )
    if extension in {".csv", ".txt"}:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(upload.read(64 * 1024), final=False)
        except UnicodeDecodeError:
            raise ValidationError(
                _("Save the text file as UTF-8 and attach it again."), code="encoding"
            ) from None
        finally:
            upload.seek(0)
    return extension, ATTACHMENT_TYPES.get(extension) or mimetypes.types_map.get(extension, "")
