"""Reading an uploaded table as rows, whatever the office's spreadsheet program produced.

CSV: any of the delimiters , ; tab | (sniffed from the first lines), with or without a byte-order
mark, in UTF-8 (tried strictly first) or Windows-1252 (the fallback: names like "Andr\u00e9" and
curly quotes from Excel on Windows), or UTF-16 with a BOM (Excel's "Unicode Text").
XLSX/XLS/ODS: python-calamine (fast, streams rows); openpyxl when calamine cannot read the file.
Merged cells are read as if every cell of the merge held the value (a KK number merged down over
the family's rows belongs to each of them).

Rows are numbered as the spreadsheet shows them: the first line of the file is row 1. Problems
that make the whole file unreadable raise :class:`FileProblem` with a message for the user.

A workbook is never opened by a web request: its declared size is checked first
(``core.uploads.check_workbook``, every cell reference) and it is read in a forked process
whose memory is capped (:func:`inspect_file_limited`, :func:`excel_rows_limited`), so a file
that declares billions of cells fails its job with a message instead of killing the worker.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pandu.core import forked
from pandu.core.uploads import check_workbook

from .layout import header_score

DELIMITERS = [",", ";", "\t", "|"]
#: Address space a workbook's reader may take beyond what the worker holds (setting
#: PANDU_IMPORT_PARSE_MEMORY): room for the largest sheet the limits allow (50 million cells).
PARSE_MEMORY = 4 * 1024**3
ROWS_PER_MESSAGE = 2000
SNIFF_BYTES = 64 * 1024
HEADER_SEARCH_ROWS = 20
# Cells longer than this are read (and then rejected by the length rules) instead of stopping
# the reader; a 50,000-character cell is a mistake, not an attack.
csv.field_size_limit(16 * 1024 * 1024)

_ZIP_MAGIC = b"PK\x03\x04"
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


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``str(exc)`` is the message for the user."""


@dataclass
class SourceInfo:
    kind: str  # "csv" or "excel"
    size: int
    sha256: str
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    header_row: int = 1
    headers: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)


# --- Detecting what the file is --------------------------------------------------------------


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


def check_declared_size(path: Path) -> None:
    """Refuse a workbook whose sheets declare more than the limits, before any reader opens it."""
    with path.open("rb") as handle:
        if handle.read(4) != _ZIP_MAGIC:
            return  # an old .xls: its format caps a sheet at 65,536 × 256 cells
    try:
        check_workbook(path)
    except ValidationError as exc:
        raise FileProblem(" ".join(exc.messages)) from None


def parse_memory() -> int:
    return int(getattr(settings, "PANDU_IMPORT_PARSE_MEMORY", PARSE_MEMORY))


def limit_parse_memory() -> None:
    """In a forked reader: cap its memory (see :func:`parse_memory`)."""
    forked.limit_memory(parse_memory())


def _out_of_memory(exc: forked.ChildFailed) -> FileProblem:
    if exc.timed_out:
        return FileProblem(
            _("Membaca berkas Excel ini terlalu lama. Simpan data sebagai CSV lalu unggah lagi.")
        )
    return FileProblem(
        _(
            "Berkas Excel ini terlalu besar untuk dibaca (memori yang diizinkan habis). Hapus "
            "baris dan kolom kosong di ujung lembar, atau simpan data sebagai CSV, lalu unggah "
            "lagi."
        )
    )


def inspect_file_limited(path: str | Path, *, sheet: str = "") -> SourceInfo:
    """:func:`inspect_file`, with a workbook read in a forked process of capped memory."""
    if file_kind(path) != "excel":
        return inspect_file(path, sheet=sheet)
    try:  # the child checks the declared size first (see inspect_file)
        return forked.run_limited(inspect_file, path, sheet, memory_bytes=parse_memory())
    except forked.ChildFailed as exc:
        raise _out_of_memory(exc) from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _not_text() -> FileProblem:
    return FileProblem(
        _(
            "Berkas ini bukan berkas teks CSV (isinya data biner). Buka data di Excel lalu "
            "simpan sebagai “CSV UTF-8”, atau unggah berkas .xlsx-nya langsung."
        )
    )


def _text_encoding(head: bytes) -> str:
    """A first guess from the start of the file; raises when it is clearly not text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise _not_text()
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > max(2, len(head) // 200):
        raise _not_text()
    return "utf-8"


def _hash_and_check_text(path: Path, encoding: str) -> tuple[str, str]:
    """One pass over the file: SHA-256, and whether it is all valid UTF-8 (else Windows-1252)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict") if encoding == "utf-8" else None
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if encoding == "utf-16":
                continue
            if b"\x00" in chunk:
                raise _not_text()
            if decoder is not None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    decoder = None
                    encoding = "cp1252"
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                encoding = "cp1252"  # the file ends in the middle of a character
    return digest.hexdigest(), encoding


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    raw = open(path, "rb")  # noqa: SIM115 - closed with the wrapper
    if encoding != "utf-16" and raw.read(3) != codecs.BOM_UTF8:
        raw.seek(0)
    # Windows-1252 leaves five byte values undefined; they become U+FFFD rather than an error.
    errors = "replace" if encoding == "cp1252" else "strict"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")


def _inspect_csv(path: Path, info: SourceInfo) -> None:
    with _open_text(path, info.encoding) as handle:
        try:
            text = handle.read(SNIFF_BYTES)
        except UnicodeDecodeError:
            raise _not_text() from None
    if "\n" in text[:-1]:
        text = text[: text.rfind("\n") + 1]  # drop a partial last line
    info.delimiter = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=info.delimiter))
    _find_header(info, rows)


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the most columns, consistently."""
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(r)][:20]
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        same = sum(1 for r in rows[1:] if len(r) == width)
        consistency = same / (len(rows) - 1) if len(rows) > 1 else 1.0
        score = (consistency, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _find_header(info: SourceInfo, rows: list[list[Any]]) -> None:
    """The header is the first row that names known columns (a title may sit above it)."""
    header_index = None
    best = 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score([cell_text(c) for c in row])
        if score >= 3 and score > best:
            header_index, best = i, score
            break
    if header_index is None:
        header_index = next((i for i, r in enumerate(rows) if any(cell_text(c) for c in r)), None)
    if header_index is None:
        raise FileProblem(_("Berkas tidak berisi data: semua baris kosong."))
    info.header_row = header_index + 1
    info.headers = [cell_text(c).strip() for c in rows[header_index]]
    while info.headers and not info.headers[-1]:
        info.headers.pop()
    if not info.headers:
        raise FileProblem(_("Berkas tidak berisi data: semua baris kosong."))
    info.sample = [
        [cell_text(c) for c in r] for r in rows[header_index + 1 : header_index + 6] if any(r)
    ]


# --- Excel -----------------------------------------------------------------------------------


def _not_excel() -> FileProblem:
    return FileProblem(
        _(
            "Berkas ini tidak dapat dibaca sebagai Excel (.xlsx): isinya rusak atau bukan lembar "
            "kerja. Buka di Excel lalu simpan ulang sebagai “Buku Kerja Excel (.xlsx)”, "
            "atau simpan sebagai CSV."
        )
    )


def _inspect_excel(path: Path, info: SourceInfo, sheet: str) -> None:
    rows: list[list[Any]] = []
    for _row_no, cells in _excel_rows(path, info, sheet, limit=HEADER_SEARCH_ROWS + 6):
        rows.append(cells)
    _find_header(info, rows)


def _excel_rows(
    path: Path, info: SourceInfo, sheet: str = "", limit: int | None = None
) -> Iterator[tuple[int, list[Any]]]:
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - calamine is a dependency; openpyxl is the fallback
        yield from _openpyxl_rows(path, info, sheet, limit)
        return
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise _not_excel()
        name = sheet if sheet in names else names[0]
        data = workbook.get_sheet_by_name(name)
        info.sheet = name
        merged = data.merged_cell_ranges or []
        start_row = data.start[0] if data.start else 0
        rows = data.iter_rows()
    except FileProblem:
        raise
    except Exception:
        yield from _openpyxl_rows(path, info, sheet, limit)
        return
    yield from _with_merges(rows, start_row, merged, limit)


def _with_merges(
    rows: Iterator[list[Any]],
    start_row: int,
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    limit: int | None,
) -> Iterator[tuple[int, list[Any]]]:
    # Merged ranges as (first row, last row, first col, last col), 0-based sheet positions.
    spans = sorted((r0, r1, c0, c1) for (r0, c0), (r1, c1) in merged)
    active: list[tuple[int, int, int, Any]] = []  # (last row, first col, last col, value)
    next_span = 0
    for offset, cells in enumerate(rows):
        sheet_row = start_row + offset
        if limit is not None and offset >= limit:
            return
        if spans:
            cells = list(cells)
            active = [a for a in active if a[0] >= sheet_row]
            while next_span < len(spans) and spans[next_span][0] == sheet_row:
                r0, r1, c0, c1 = spans[next_span]
                value = cells[c0] if c0 < len(cells) else ""
                active.append((r1, c0, c1, value))
                next_span += 1
            for _last, c0, c1, value in active:
                if len(cells) <= c1:
                    cells.extend([""] * (c1 + 1 - len(cells)))
                for c in range(c0, c1 + 1):
                    cells[c] = value
        yield sheet_row + 1, cells


def _openpyxl_rows(
    path: Path, info: SourceInfo, sheet: str, limit: int | None
) -> Iterator[tuple[int, list[Any]]]:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise _not_excel() from None
    except Exception:
        raise _not_excel() from None
    try:
        names = workbook.sheetnames
        if not names:
            raise _not_excel()
        name = sheet if sheet in names else names[0]
        info.sheet = name
        ws = workbook[name]
        for row_no, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if limit is not None and row_no > limit:
                return
            yield row_no, ["" if c is None else c for c in cells]
    finally:
        workbook.close()


# --- Rows ------------------------------------------------------------------------------------


def _send_excel_rows(path: Path, info: SourceInfo, channel: Any) -> None:
    """In the capped child: the workbook's rows, a few thousand per message."""
    try:
        forked.die_with_parent()
        limit_parse_memory()
        rows: list[tuple[int, list[Any]]] = []
        for item in _excel_rows(path, info, info.sheet):
            rows.append(item)
            if len(rows) >= ROWS_PER_MESSAGE:
                channel.put(("rows", rows))
                rows = []
        channel.put(("rows", rows))
        channel.put(("done", None))
    except FileProblem as exc:
        channel.put(("problem", str(exc)))
    except BaseException as exc:  # MemoryError from Python, anything else: say it, then end
        channel.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        channel.close()
        channel.join_thread()


def excel_rows_limited(path: str | Path, info: SourceInfo) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a workbook, read in a forked process of capped memory."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    channel = ctx.Queue(maxsize=4)
    proc = ctx.Process(
        target=_send_excel_rows,
        args=(Path(path), info, channel),
        name="workbook reader",
        daemon=True,
    )
    proc.start()
    try:
        for kind, payload in forked.messages(proc, channel):
            if kind == "done":
                return
            if kind == "problem":
                raise FileProblem(payload)
            if kind == "error":
                if payload.startswith("MemoryError"):
                    raise _out_of_memory(forked.ChildFailed(None))
                raise RuntimeError(payload)
            yield from payload
    except forked.ProducerStopped as exc:
        raise _out_of_memory(forked.ChildFailed(exc.exit_code)) from None
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=10)
        channel.close()


def iter_rows(path: str | Path, info: SourceInfo) -> Iterator[tuple[int, list[Any] | None]]:
    """(spreadsheet row number, cells) for every row of the file, the header included.

    A CSV line the csv module cannot parse comes back as ``(row, None)``.
    """
    path = Path(path)
    if info.kind == "excel":
        yield from _excel_rows(path, info, info.sheet)
        return
    with _open_text(path, info.encoding) as handle:
        reader = csv.reader(handle, delimiter=info.delimiter or ",")
        row_no = 0
        while True:
            row_no += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield row_no, None
                continue
            except UnicodeDecodeError:
                raise FileProblem(
                    _("Berkas berubah atau rusak saat dibaca (pengodean teks tidak sah).")
                ) from None
            yield row_no, cells


def cell_text(value: Any) -> str:
    """A cell as the text a person would read in it (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y") if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


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
