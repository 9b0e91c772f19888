"""What every reader shares: the file's description, its problems, cells as text, the header."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..layout import header_score

SNIFF_BYTES = 64 * 1024
HEADER_SEARCH_ROWS = 20
_ZIP_MAGIC = b"PK\x03\x04"


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
