"""Uploaded minutes (berita acara) and visit photos: checked by size, name *and* content.

A file's name says nothing about what it is: an ``.exe`` renamed ``.pdf`` must not be accepted.
The first bytes of each accepted type are fixed (PDF ``%PDF-``, JPEG ``FF D8 FF``, PNG's
signature, WebP's RIFF header), so reading a few bytes is enough without extra libraries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]

    def matches(self, head: bytes) -> bool:
        if self.content_type == "application/pdf":
            # Some scanners write a few bytes (a BOM, whitespace) before the header.
            return b"%PDF-" in head[:1024]
        if self.content_type == "image/jpeg":
            return head.startswith(b"\xff\xd8\xff")
        if self.content_type == "image/png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if self.content_type == "image/webp":
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        return False


PDF = FileType("PDF", "application/pdf", (".pdf",))
JPEG = FileType("JPG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("PNG", "image/png", (".png",))
WEBP = FileType("WebP", "image/webp", (".webp",))

MINUTES_TYPES = (PDF, JPEG, PNG)
PHOTO_TYPES = (JPEG, PNG, WEBP)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",")


def check_upload(upload, allowed: tuple[FileType, ...] = MINUTES_TYPES) -> FileType:
    """The file's type if its size, extension and content agree; else a ValidationError saying
    what is wrong in words an operator understands."""
    names = ", ".join(t.label for t in allowed)
    size = getattr(upload, "size", None) or 0
    if size > MAX_BYTES:
        raise ValidationError(
            _(
                "Ukuran berkas %(size)s MB; paling besar 10 MB. "
                "Perkecil hasil pindaian lalu unggah lagi."
            )
            % {"size": _megabytes(size)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    ext = PurePosixPath(getattr(upload, "name", "") or "").suffix.lower()
    by_ext = next((t for t in allowed if ext in t.extensions), None)
    if by_ext is None:
        raise ValidationError(
            _("Jenis berkas tidak diterima. Unggah berkas %(types)s.") % {"types": names},
            code="bad_extension",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not by_ext.matches(head):
        raise ValidationError(
            _(
                "Isi berkas ini bukan %(type)s walaupun namanya berakhiran %(ext)s. "
                "Unggah berkas %(types)s yang asli."
            )
            % {"type": by_ext.label, "ext": ext, "types": names},
            code="content_mismatch",
        )
    return by_ext
