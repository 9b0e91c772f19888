"""The one check every upload passes: how big it may be, and what it is by its content.

A file's name and the browser's content type say nothing about what a file is: an ``.exe``
renamed ``.pdf`` must not be accepted. The first bytes of each accepted kind are fixed (PDF,
PNG, JPEG, WebP, the ZIP container of a workbook, the OLE container of an old ``.xls``); a CSV
is text. ``check_upload(file, kinds=..., max_bytes=...)`` returns the kind or raises a
``ValidationError`` in words an operator understands; ``UploadValidator`` is the same check for
a form field.

A request body larger than its view accepts is refused before it is read:
:class:`UploadLimitMiddleware` compares ``Content-Length`` with the view's ``@upload_limit``
(or ``PANDU_UPLOAD_MAX_BYTES``) ahead of the CSRF check, which would read the body.

A workbook is a ZIP of XML files, and its XML may declare a sheet of 17 billion cells in a
1.6 KB file; the spreadsheet reader then tries to allocate room for all of them.
:func:`check_workbook` refuses such a file without parsing it: the number of members, their
total unpacked size, each sheet's declared ``<dimension>`` (in its first kilobytes) and the
largest cell reference in the sheet's XML, scanned as text (see decision 0010).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEAD_BYTES = 8192
#: Any request body above this is refused unless its view says otherwise (``@upload_limit``).
DEFAULT_REQUEST_MAX_BYTES = 12 * 1024 * 1024

LABELS = {
    "csv": "CSV",
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "ods": "OpenDocument (.ods)",
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPG",
    "webp": "WebP",
}
#: What a refused file turned out to be, for the message.
FOUND = {
    "csv": gettext_lazy("berkas teks"),
    "xlsx": gettext_lazy("lembar kerja Excel"),
    "xls": gettext_lazy("lembar kerja Excel lama (.xls)"),
    "ods": gettext_lazy("lembar kerja OpenDocument"),
    "pdf": gettext_lazy("berkas PDF"),
    "png": gettext_lazy("gambar PNG"),
    "jpeg": gettext_lazy("gambar JPG"),
    "webp": gettext_lazy("gambar WebP"),
    "gif": gettext_lazy("gambar GIF"),
    "zip": gettext_lazy("arsip ZIP yang bukan lembar kerja"),
    "archive": gettext_lazy("arsip terkompresi"),
    "program": gettext_lazy("program komputer"),
    "binary": gettext_lazy("data biner, bukan berkas teks CSV"),
}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "archive"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
]
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def megabytes(n: int) -> str:
    """``10485760`` → ``"10"``; ``9961472`` → ``"9,5"`` (``"9.5"`` in English): the decimal
    separator of the reader's language."""
    value = n / (1024 * 1024)
    return str(int(value)) if value == int(value) else number_format(round(value, 1), 1)


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls <= max(2, len(head) // 200)


def sniff(head: bytes, file: IO[bytes] | None = None) -> str:
    """The kind of a file from its first bytes (and, for a ZIP, the names inside it)."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(_OLE):
        return "xls"
    if head.startswith(_ZIP):
        if head[30:38] == b"mimetype" and _ODS_MIME in head[:100]:
            return "ods"
        if file is None:
            return "zip"
        try:
            names = set(zipfile.ZipFile(file).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        return "zip"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return "csv" if _is_text(head) else "binary"


def _size(file: Any) -> int | None:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    try:
        position = file.tell()
        file.seek(0, 2)
        end = file.tell()
        file.seek(position)
        return end
    except (AttributeError, OSError):
        return None


def _limit(max_bytes: int | str | None) -> int:
    if isinstance(max_bytes, str):
        return int(getattr(settings, max_bytes))
    if max_bytes is None:
        return int(getattr(settings, "PANDU_UPLOAD_MAX_BYTES", DEFAULT_REQUEST_MAX_BYTES))
    return max_bytes


def check_upload(file: Any, *, kinds: Iterable[str], max_bytes: int | str | None = None) -> str:
    """The file's kind, if it is one of ``kinds`` and at most ``max_bytes`` (bytes, or the name
    of the setting holding them; default ``PANDU_UPLOAD_MAX_BYTES``); a workbook must also pass
    :func:`check_workbook`. Raises ValidationError (codes ``too_large``, ``empty``,
    ``bad_type``, ``workbook``)."""
    kinds = tuple(kinds)
    size = _size(file)
    limit = _limit(max_bytes)
    if size is not None and size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); paling besar %(max)s MB.")
            % {"size": megabytes(size), "max": megabytes(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(
            _("Berkas kosong (0 byte). Pilih berkas yang berisi data."), code="empty"
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    kind = sniff(head, file if head.startswith(_ZIP) else None)
    file.seek(0)
    if kind not in kinds:
        raise ValidationError(
            _("Berkas ini tidak diterima: isinya %(found)s. Unggah berkas %(types)s.")
            % {"found": FOUND.get(kind, kind), "types": ", ".join(LABELS[k] for k in kinds)},
            code="bad_type",
        )
    if kind in ("xlsx", "ods"):
        try:
            check_workbook(file, scan_bytes=workbook_limits().scan_bytes)
        finally:
            file.seek(0)
    return kind


@deconstructible
class UploadValidator:
    """``forms.FileField(validators=[UploadValidator(kinds=("pdf",), max_bytes=...)])``."""

    def __init__(self, kinds: Iterable[str], max_bytes: int | str | None = None) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file: Any) -> None:
        check_upload(file, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )

    def accept(self) -> str:
        """The ``accept`` attribute of the file input for these kinds."""
        exts = {
            "csv": ".csv,.txt",
            "xlsx": ".xlsx",
            "xls": ".xls",
            "ods": ".ods",
            "pdf": ".pdf",
            "png": ".png",
            "jpeg": ".jpg,.jpeg",
            "webp": ".webp",
        }
        return ",".join(exts[k] for k in self.kinds if k in exts)


# --- Workbooks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may declare. Calamine holds every cell of a sheet's rectangle (32 bytes
    each), so ``cells`` bounds the reader's memory: 50 million ≈ 1.6 GB, enough for Excel's
    1,048,576 rows of all 42 import columns. Bigger tables travel as CSV."""

    members: int = 1000
    unzipped_bytes: int = 4 * 1024**3
    rows: int = 1_048_576
    columns: int = 1000
    cells: int = 50_000_000
    #: A rectangle this big needs no XML to back it (a header row and a note far below)...
    cells_free: int = 1_000_000
    #: ...beyond it, each declared cell needs this many bytes of the sheet's XML at least.
    bytes_per_cell: float = 0.5
    #: The request scans cell references in sheets up to this size; the job scans all.
    scan_bytes: int = 64 * 1024 * 1024


def workbook_limits() -> WorkbookLimits:
    overrides = getattr(settings, "PANDU_WORKBOOK_LIMITS", None) or {}
    known = {f.name for f in fields(WorkbookLimits)}
    return replace(WorkbookLimits(), **{k: v for k, v in overrides.items() if k in known})


_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?\""
)
_CELL_COLUMN = re.compile(rb"\sr=\"([A-Z]{1,10})\d")
_REF_ROW = re.compile(rb"\sr=\"[A-Z]{0,10}(\d{1,30})\"")
_OVERLAP = 64  # bytes carried into the next chunk: a reference is never longer


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``XFD`` → 16384; no letters → 0."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="workbook")


def _too_big_sheet(rows: int, columns: int) -> str:
    return _(
        "Lembar kerja ini menyatakan %(rows)s baris × %(columns)s kolom, terlalu besar untuk "
        "dibaca. Hapus baris dan kolom kosong di ujung lembar (atau simpan data sebagai CSV), "
        "lalu unggah lagi."
    ) % {"rows": f"{rows:,}".replace(",", "."), "columns": f"{columns:,}".replace(",", ".")}


def _check_area(rows: int, columns: int, limits: WorkbookLimits, xml_bytes: int | None) -> None:
    cells = rows * columns
    too_big = rows > limits.rows or columns > limits.columns or cells > limits.cells
    if not too_big and xml_bytes is not None and cells > limits.cells_free:
        too_big = cells * limits.bytes_per_cell > xml_bytes
    if too_big:
        raise _refuse(_too_big_sheet(rows, columns))


def _scan_sheet(handle: IO[bytes] | _Prepend, limits: WorkbookLimits) -> tuple[int, int, int]:
    """(largest row, largest column, bytes of XML) from the cell and row references."""
    max_row = 0
    longest_col = b""
    total = 0
    tail = b""
    while chunk := handle.read(1 << 20):
        total += len(chunk)
        if total > limits.unzipped_bytes:
            raise _refuse(_unpacked_too_big(limits))
        data = tail + chunk
        tail = data[-_OVERLAP:]
        columns = set(_CELL_COLUMN.findall(data))
        if columns:
            widest = max(columns, key=lambda c: (len(c), c))
            if (len(widest), widest) > (len(longest_col), longest_col):
                longest_col = widest
        rows = _REF_ROW.findall(data)
        if rows:
            size = max(map(len, rows))
            max_row = max(max_row, max(int(r) for r in rows if len(r) == size))
    return max_row, column_number(longest_col), total


def _unpacked_too_big(limits: WorkbookLimits) -> str:
    return _(
        "Isi berkas Excel ini terlalu besar setelah dibuka (lebih dari %(gb)s GB). "
        "Simpan data sebagai CSV lalu unggah lagi."
    ) % {"gb": megabytes(limits.unzipped_bytes // 1024)}


def check_workbook(source: Any, *, scan_bytes: int | None = None) -> None:
    """Refuse a workbook (path or open file) whose sheets declare more than the limits allow.

    Reads the ZIP directory, the first kilobytes of each sheet, and the cell references of
    every sheet up to ``scan_bytes`` of XML (all of them when None). Parses nothing else.
    """
    limits = workbook_limits()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(
            _(
                "Berkas ini tidak dapat dibaca sebagai Excel (.xlsx): isinya rusak atau bukan "
                "lembar kerja."
            )
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.members:
            raise _refuse(
                _("Berkas Excel ini berisi %(n)s bagian; paling banyak %(max)s.")
                % {"n": len(members), "max": limits.members}
            )
        if sum(m.file_size for m in members) > limits.unzipped_bytes:
            raise _refuse(_unpacked_too_big(limits))
        budget = scan_bytes
        # Every XML part: the reader follows the workbook's links, so a sheet may live anywhere.
        for member in members:
            if not member.filename.lower().endswith(".xml"):
                continue
            try:
                with archive.open(member) as handle:
                    head = handle.read(4096)
                    found = _DIMENSION.search(head)
                    if found:
                        first_col, first_row, last_col, last_row = found.groups()
                        rows = int(last_row or first_row or 0)
                        columns = column_number(last_col or first_col or b"")
                        _check_area(rows, columns, limits, None)
                    if budget is not None and member.file_size > budget:
                        budget = 0
                        continue  # the job scans it before reading the file
                    rows, columns, xml_bytes = _scan_sheet(_Prepend(head, handle), limits)
                    if budget is not None:
                        budget = max(budget - xml_bytes, 0)
                    _check_area(rows, columns, limits, xml_bytes)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
                # zlib errors, bad CRCs, encrypted members: not a workbook the reader can use.
                raise _refuse(
                    _(
                        "Berkas ini tidak dapat dibaca sebagai Excel (.xlsx): isinya rusak atau "
                        "bukan lembar kerja."
                    )
                ) from None


class _Prepend:
    """A stream that first returns ``head`` again, then the rest of ``handle``."""

    def __init__(self, head: bytes, handle: IO[bytes]) -> None:
        self.head, self.handle = head, handle

    def read(self, n: int) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.handle.read(n)


# --- Request bodies ---------------------------------------------------------------------------


def upload_limit(max_bytes: int | str) -> Callable:
    """Let a view accept request bodies up to ``max_bytes`` (or the setting of that name)."""

    def mark(view: Any) -> Any:
        view.upload_max_bytes = max_bytes
        return view

    return mark


def _view_limit(view_func: Any) -> int:
    limit = getattr(view_func, "upload_max_bytes", None)
    if limit is None:
        limit = getattr(getattr(view_func, "cls", None), "upload_max_bytes", None)
    return _limit(limit)


class UploadLimitMiddleware:
    """Refuse a body larger than the view accepts, from its Content-Length, before anything
    reads it (it must come before CsrfViewMiddleware, whose check reads the form)."""

    #: Room for the other fields and the multipart boundaries around the file.
    SLACK = 256 * 1024

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = _view_limit(view_func)
        if length <= limit + self.SLACK:
            return None
        message = _("Berkas terlalu besar (%(size)s MB); paling besar %(max)s MB.") % {
            "size": megabytes(length),
            "max": megabytes(limit),
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        from .errors import back_url

        context = {"message": message, "back": back_url(request)}
        body = render_to_string("core/upload_refused.html", context)
        return HttpResponse(body, status=413)
