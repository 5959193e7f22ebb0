"""Uploaded photos and documents, checked on the way in (journal entries, ideas, applications).

Photos are opened with Pillow, limited in size and pixels, re-encoded (which drops EXIF data such
as the GPS position) and thumbnailed. Documents are allowed by name, size and first bytes.
"""

import codecs
import io
import mimetypes
import uuid
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
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
