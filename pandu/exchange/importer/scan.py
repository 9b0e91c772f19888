"""Where import jobs keep their files, and the first pass over a file."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from ..layout import HOUSEHOLD_OPTIONAL, PERSON_OPTIONAL
from ..rows import RowParser

log = logging.getLogger("pandu.exchange")

BATCH_ROWS = 20_000
SQLITE_CACHE_KIB = 256 * 1024
SQLITE_CHECKPOINT_PAGES = 25_000  # ~100 MB of WAL between checkpoints during an import
MAX_ROWS_LISTED = 5
REPORT_HEADER = ["baris", "kolom", "nilai", "alasan"]
QUEUE_CHUNKS = 3
#: A file larger than this many bytes per row of two batches is parsed in a forked process.
FORK_BYTES_PER_ROW = 40

PERSON_COMPARED = [
    "full_name", "sex", "birth_place", "birth_date", "relationship", "marital_status",
    *PERSON_OPTIONAL,
]  # fmt: skip
PERSON_SELECT = [
    "id", "uid", "nik", "household_id", "area_code", "status", "name_key", "quality_flags",
    "flagged", *PERSON_COMPARED,
]  # fmt: skip
HOUSEHOLD_COMPARED = ["village_id", "rt", "rw", "address", *HOUSEHOLD_OPTIONAL]
HOUSEHOLD_SELECT = ["id", "uid", "kk_number", "has_business", "breadwinner_id", *HOUSEHOLD_COMPARED]


def jobs_dir() -> Path:
    return Path(settings.VAR_DIR) / "jobs"


class NullContext:
    """Stands in for a job context when the importer is called directly."""

    def progress(self, done: int, total: int | None = None, *, force: bool = False, **counts):
        pass

    def check_cancelled(self) -> None:
        pass

    def message(self, text: str) -> None:
        pass


@dataclass
class FileFacts:
    rows_total: int = 0
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    kk_last: dict[str, int] = field(default_factory=dict)
    kk_conflicts: dict[str, list[int]] = field(default_factory=dict)
    kk_heads: dict[str, list[int]] = field(default_factory=dict)  # only KKs with 2+ heads
    kk_head: dict[str, int] = field(default_factory=dict)  # the first head row of each KK


def scan_file(
    rows: Iterator[tuple[int, list[Any] | None]],
    parser: RowParser,
    header_row: int,
    on_progress: Callable[[int], None] | None = None,
) -> FileFacts:
    facts = FileFacts()
    nik_first: dict[str, int] = {}
    kk_sig: dict[str, tuple[tuple, int]] = {}
    duplicates, kk_last, kk_conflicts = facts.duplicates, facts.kk_last, facts.kk_conflicts
    kk_head, kk_heads = facts.kk_head, facts.kk_heads
    is_empty, scan_key = parser.is_empty, parser.scan_key
    total = 0
    for row_no, cells in rows:
        if row_no <= header_row:
            continue
        total += 1
        if cells is None or is_empty(cells):
            continue
        nik, kk, signature, is_head = scan_key(cells)
        if len(nik) == 16:
            first = nik_first.setdefault(nik, row_no)
            if first != row_no:
                duplicates.setdefault(nik, [first]).append(row_no)
        if kk:
            kk_last[kk] = row_no
            seen = kk_sig.get(kk)
            if seen is None:
                kk_sig[kk] = (signature, row_no)
            elif seen[0] != signature:
                kk_conflicts.setdefault(kk, [seen[1]]).append(row_no)
            if is_head:
                first_head = kk_head.setdefault(kk, row_no)
                if first_head != row_no:
                    kk_heads.setdefault(kk, [first_head]).append(row_no)
        if on_progress is not None and not total % 50_000:
            on_progress(total)
    facts.rows_total = total
    return facts


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_LISTED])
    return shown + (", …" if len(rows) > MAX_ROWS_LISTED else "")
