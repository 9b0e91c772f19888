"""Workbooks (XLSX/XLS/ODS): their declared size, their rows with merged cells filled in, and
reading them in a forked process of capped memory."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pandu.core import forked
from pandu.core.uploads import check_workbook

from .source import _ZIP_MAGIC, HEADER_SEARCH_ROWS, FileProblem, SourceInfo, _find_header

#: Address space a workbook's reader may take beyond what the worker holds (setting
#: PANDU_IMPORT_PARSE_MEMORY): room for the largest sheet the limits allow (50 million cells).
PARSE_MEMORY = 4 * 1024**3
ROWS_PER_MESSAGE = 2000


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
