"""Reading a reconciliation file: its header, and each row's values checked one by one.

Rows come from the platform's readers (``exchange.readers``: CSV in any of the usual encodings
and delimiters, XLSX/XLS/ODS read in a capped process). The header is the first row, among the
first twenty, that names every required column (:data:`.layouts.REQUIRED`, or one of their
aliases); other columns are ignored, so a payment list sent back with the outcome columns
added is a reconciliation file. Rows are numbered as the spreadsheet shows them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from pandu.exchange.readers import (
    FileProblem,
    SourceInfo,
    cell_text,
    csv_rows,
    excel_rows_limited,
    inspect_file_limited,
)

from .layouts import ALIASES, RECONCILIATION, REQUIRED, STATUS_WORDS

HEADER_ROWS = 20
KNOWN = {c.name for c in RECONCILIATION}
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d")


@dataclass
class Row:
    """One row that passed the checks of its own values."""

    row_no: int
    cycle: uuid.UUID
    kk: str | None
    group: uuid.UUID | None
    status: str
    amount: int
    paid_on: date
    reference: str
    reason: str


@dataclass
class Rejected:
    row_no: int
    reason: str
    cells: dict[str, str]


def _name(text: str) -> str:
    key = re.sub(r"[\s\-/]+", "_", cell_text(text).strip().lower())
    return ALIASES.get(key, key)


def rows_of(path: str | Path) -> tuple[SourceInfo, Iterator[tuple[int, list[Any] | None]]]:
    """The file's description and its rows (a workbook read in a capped process)."""
    info = inspect_file_limited(path)
    if info.kind == "excel":
        return info, excel_rows_limited(path, info)
    return info, csv_rows(Path(path), info)


def find_header(rows: Iterator[tuple[int, list[Any] | None]]) -> tuple[int, dict[str, int]]:
    """The header's row number and where each known column is; raises FileProblem naming
    the required columns missing from the first non-empty row."""
    first: list[str] | None = None
    for row_no, cells in rows:
        if cells is None or not any(cell_text(c).strip() for c in cells):
            if row_no >= HEADER_ROWS:
                break
            continue
        names = [_name(c) for c in cells]
        if first is None:
            first = names
        where = {}
        for i, name in enumerate(names):
            if name in KNOWN and name not in where:
                where[name] = i
        if all(r in where for r in REQUIRED):
            return row_no, where
        if row_no >= HEADER_ROWS:
            break
    missing = [r for r in REQUIRED if r not in (first or [])]
    raise FileProblem(
        _(
            "Kolom wajib tidak ditemukan: %(missing)s. Baris judul berkas rekonsiliasi memuat "
            "%(required)s (lihat docs/payments.md)."
        )
        % {"missing": ", ".join(missing), "required": ", ".join(REQUIRED)}
    )


def _text(cell: Any) -> str:
    if type(cell) is str:
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return str(int(cell))
    return cell_text(cell).strip()


def parse_amount(cell: Any) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = cell_text(cell).strip().replace("Rp", "").replace("rp", "").replace(" ", "")
    if text.isdigit():
        return int(text)
    if _THOUSANDS.match(text):
        return int(re.sub(r"[.,]", "", text))
    whole = re.match(r"^(\d+|\d{1,3}(?:[.]\d{3})+)[,]00?$|^(\d+|\d{1,3}(?:[,]\d{3})+)[.]00?$", text)
    if whole:
        return int(re.sub(r"[.,]", "", (whole.group(1) or whole.group(2))))
    return None


@lru_cache(maxsize=4096)
def _date_of(text: str) -> date | None:
    """A file holds few distinct dates: each is parsed once."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@lru_cache(maxsize=1024)
def _uuid_of(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def parse_date(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    return _date_of(cell_text(cell).strip())


def parse(row_no: int, cells: list[Any], where: dict[str, int]) -> Row | Rejected:
    """The row's values, or why the row is rejected (the first problem found)."""
    width = len(cells)

    def cell(name: str) -> Any:
        i = where.get(name)
        return cells[i] if i is not None and i < width else None

    def no(reason: str) -> Rejected:
        shown = {name: _text(cell(name))[:100] for name in where}
        return Rejected(row_no, reason, shown)

    cycle = _uuid_of(_text(cell("siklus")))
    if cycle is None:
        return no(_("ID siklus kosong atau tidak sah."))
    who = _text(cell("penerima")).replace(" ", "")
    kk: str | None = None
    group: uuid.UUID | None = None
    if len(who) == 16 and who.isdigit():
        kk = who
    elif _SCIENTIFIC.match(who):
        return no(
            _(
                "Nomor KK tampil sebagai angka ilmiah (%(value)s) dan kehilangan angka; simpan "
                "kolom penerima sebagai teks."
            )
            % {"value": who}
        )
    else:
        group = _uuid_of(who)
        if group is None:
            return no(_("Penerima harus nomor KK 16 angka atau ID kelompok."))
    status = STATUS_WORDS.get(_text(cell("status")).lower())
    if status is None:
        return no(_("Status harus dibayar, gagal atau dikembalikan."))
    amount = parse_amount(cell("nominal"))
    if amount is None or amount < 0:
        return no(_("Nominal tidak terbaca sebagai rupiah utuh."))
    paid_on = parse_date(cell("tanggal"))
    if paid_on is None:
        return no(_("Tanggal tidak terbaca; tulis DD-MM-YYYY."))
    reference = _text(cell("referensi"))
    if not reference:
        return no(_("Referensi kosong."))
    if len(reference) > 60:
        return no(_("Referensi lebih dari 60 karakter."))
    reason = _text(cell("alasan"))
    if status != "dibayar" and not reason:
        return no(_("Alasan wajib diisi untuk pembayaran gagal atau dikembalikan."))
    return Row(row_no, cycle, kk, group, status, amount, paid_on, reference, reason[:300])
