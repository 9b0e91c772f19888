"""The import's report: every rejected row with its number and reason."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from pandu.core.spreadsheets import safe_text

from ..rows import Issue
from .scan import REPORT_HEADER


class Report:
    """The rejected rows, as CSV (UTF-8 with BOM so Excel reads it right)."""

    def __init__(self, path: Path, committed_bytes: int = 0) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        exists = path.exists()
        self.handle = path.open("r+b" if exists else "w+b")
        if exists:
            self.handle.truncate(committed_bytes)  # lines of a batch that never committed
        self.handle.seek(0, io.SEEK_END)
        self.lines = 0
        if self.handle.tell() == 0:
            self._write([REPORT_HEADER], bom=True)
        self.header_bytes = self.handle.tell() if not committed_bytes else 0

    def _write(self, rows: list[list[Any]], bom: bool = False) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in rows:
            writer.writerow([safe_text(v) for v in row])
        data = buffer.getvalue().encode("utf-8")
        self.handle.write((b"\xef\xbb\xbf" if bom else b"") + data)

    def add(self, rejected: dict[int, list[Issue]]) -> None:
        rows = []
        for row_no in sorted(rejected):
            for column, value, reason in rejected[row_no]:
                rows.append([row_no or "", column, value, reason])
        if rows:
            self._write(rows)
            self.lines += len(rows)

    def flush(self) -> int:
        self.handle.flush()
        return self.handle.tell()

    def rewind(self, committed_bytes: int) -> None:
        """Drop the lines of a batch that was rolled back."""
        self.handle.truncate(max(committed_bytes, self.header_bytes))
        self.handle.seek(0, io.SEEK_END)
        self.lines = 0

    def close(self) -> None:
        self.handle.close()
