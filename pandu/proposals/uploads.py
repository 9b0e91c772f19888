"""Uploaded minutes (berita acara) and visit photos: checked by size, name *and* content.

The size and content check is the one every upload passes (``pandu.core.uploads``): an
``.exe`` renamed ``.pdf`` is refused for what it is. On top of it, a proposal's file must also
be named for what it holds, because the name is what the verifier later downloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pandu.core import uploads

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    kind: str  # as pandu.core.uploads names it


PDF = FileType("PDF", "application/pdf", (".pdf",), "pdf")
JPEG = FileType("JPG", "image/jpeg", (".jpg", ".jpeg"), "jpeg")
PNG = FileType("PNG", "image/png", (".png",), "png")
WEBP = FileType("WebP", "image/webp", (".webp",), "webp")

MINUTES_TYPES = (PDF, JPEG, PNG)
PHOTO_TYPES = (JPEG, PNG, WEBP)


def check_upload(upload, allowed: tuple[FileType, ...] = MINUTES_TYPES) -> FileType:
    """The file's type if its size, extension and content agree; else a ValidationError saying
    what is wrong in words an operator understands."""
    names = ", ".join(t.label for t in allowed)
    ext = PurePosixPath(getattr(upload, "name", "") or "").suffix.lower()
    by_ext = next((t for t in allowed if ext in t.extensions), None)
    if by_ext is None and (getattr(upload, "size", 0) or 0) <= MAX_BYTES:
        raise ValidationError(
            _("Jenis berkas tidak diterima. Unggah berkas %(types)s.") % {"types": names},
            code="bad_extension",
        )
    try:
        kind = uploads.check_upload(
            upload, kinds=tuple(t.kind for t in allowed), max_bytes=MAX_BYTES
        )
    except ValidationError as exc:
        if exc.code != "bad_type" or by_ext is None:
            raise
        kind = ""
    if by_ext is None or kind != by_ext.kind:
        raise ValidationError(
            _(
                "Isi berkas ini bukan %(type)s walaupun namanya berakhiran %(ext)s. "
                "Unggah berkas %(types)s yang asli."
            )
            % {"type": by_ext.label if by_ext else names, "ext": ext, "types": names},
            code="content_mismatch",
        )
    return by_ext
