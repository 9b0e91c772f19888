"""A file of either kind: what it is, its description, its rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from pandu.core import forked

from .excel import _excel_rows, _inspect_excel, _out_of_memory, check_declared_size, parse_memory
from .source import _ZIP_MAGIC, SNIFF_BYTES, FileProblem, SourceInfo, cell_text, sha256_of
from .text import _hash_and_check_text, _inspect_csv, _text_encoding, csv_rows

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls
_OTHER_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
}


def file_kind(path: str | Path) -> str:
    """``"excel"`` or ``"csv"`` from the first bytes, without reading further."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise FileProblem(_("Berkas kosong (0 byte). Pilih berkas yang berisi data."))
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
        return "excel"
    for magic, name in _OTHER_MAGIC.items():
        if head.startswith(magic):
            raise FileProblem(
                _(
                    "Berkas ini bukan tabel CSV atau Excel, melainkan berkas %(kind)s. "
                    "Unggah berkas .csv atau .xlsx."
                )
                % {"kind": name}
            )
    _text_encoding(head)
    return "csv"


def inspect_file(path: str | Path, sheet: str = "") -> SourceInfo:
    """Hash the file, decide its kind, encoding and delimiter, and find its header row.

    A workbook is read in this process: call :func:`inspect_file_limited` instead, except in
    a process that is already capped."""
    path = Path(path)
    size = path.stat().st_size
    if file_kind(path) == "excel":
        check_declared_size(path)
        info = SourceInfo("excel", size, sha256_of(path))
        _inspect_excel(path, info, sheet)
        return info
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    encoding = _text_encoding(head)
    digest, encoding = _hash_and_check_text(path, encoding)
    info = SourceInfo("csv", size, digest, encoding=encoding)
    _inspect_csv(path, info)
    return info


def inspect_file_limited(path: str | Path, *, sheet: str = "") -> SourceInfo:
    """:func:`inspect_file`, with a workbook read in a forked process of capped memory."""
    if file_kind(path) != "excel":
        return inspect_file(path, sheet=sheet)
    try:  # the child checks the declared size first (see inspect_file)
        return forked.run_limited(inspect_file, path, sheet, memory_bytes=parse_memory())
    except forked.ChildFailed as exc:
        raise _out_of_memory(exc) from None


def iter_rows(path: str | Path, info: SourceInfo) -> Iterator[tuple[int, list[Any] | None]]:
    """(spreadsheet row number, cells) for every row of the file, the header included.

    A CSV line the csv module cannot parse comes back as ``(row, None)``.
    """
    path = Path(path)
    if info.kind == "excel":
        yield from _excel_rows(path, info, info.sheet)
        return
    yield from csv_rows(path, info)


def sample_rows(batch, n: int = 5) -> list[list[str]]:
    """The first data rows of an uploaded file, for the column-matching page: kept on the
    batch when the file was read; a workbook is never opened here (a web request)."""
    if batch.sample:
        return [list(row) for row in batch.sample[:n]]
    if batch.file_kind != "csv" or not batch.file_path:
        return []
    info = SourceInfo(
        batch.file_kind,
        batch.file_size,
        batch.sha256,
        encoding=batch.encoding,
        delimiter=batch.delimiter,
        sheet=batch.sheet,
        header_row=batch.header_row,
    )
    rows: list[list[str]] = []
    try:
        for row_no, cells in iter_rows(batch.file_path, info):
            if row_no <= batch.header_row or not cells:
                continue
            rows.append([cell_text(c)[:40] for c in cells[: len(batch.headers)]])
            if len(rows) >= n:
                break
    except (FileProblem, OSError):
        return rows
    return rows
