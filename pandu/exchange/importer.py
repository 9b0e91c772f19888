"""The bulk importer: a file of people (one row each) upserted into the registry by NIK.

Two passes over the file:

1. **Scan** — read only the keys: which NIKs occur twice (both rows are rejected: the file does
   not say which is right), which KK numbers carry different village/RT/RW on different rows or
   more than one head, and the last row of each KK (so a batch never splits a family).
2. **Import** — validate every row (``rows.RowParser``; for a large file in a forked process that
   starts while the scan runs), group the rows into batches of whole households (about
   ``BATCH_ROWS`` rows), look up the batch's NIKs and KKs in one query each,
   apply the household rules against the registry, and write the batch in one transaction:
   households, people, memberships, PPKS, the ``ImportChange`` log and the batch's progress
   (last committed row, counts) together. A cancel or a crash loses at most the batch in hand;
   resuming continues after ``ImportBatch.last_row``, and because rows are upserted by NIK,
   running the same file again changes nothing.

Rejected rows go to the report (row as the spreadsheet shows it, column, value, reason). The report
is appended before each commit and cut back to the committed length on resume.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import logging
import multiprocessing
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db import connection as default_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core import forked
from pandu.core.spreadsheets import safe_text
from pandu.regions.models import Area, Level
from pandu.regions.queries import district_exists
from pandu.registry import choices as c
from pandu.registry import existence
from pandu.registry.models import Household, Person, PPKSAssignment, PPKSCategory

from . import bulkload, duplicates
from .layout import FIELD_BY_NAME, HOUSEHOLD_OPTIONAL, PERSON_OPTIONAL, missing_required
from .models import ImportBatch, ImportChange
from .permissions import can_import
from .readers import (
    FileProblem,
    SourceInfo,
    excel_rows_limited,
    inspect_file_limited,
    iter_rows,
    limit_parse_memory,
)
from .rows import Category, Issue, RowParser, RowRecord, birth_date_text, pack_chunk, unpack_chunk
from .writer import SqlWriter, Table, new_uid, new_uids

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
HOUSEHOLD_SELECT = ["id", "uid", "kk_number", *HOUSEHOLD_COMPARED]


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


# --- Pass 1 -----------------------------------------------------------------------------------


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


# --- The report -------------------------------------------------------------------------------


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


# --- Pass 2 -----------------------------------------------------------------------------------


@contextmanager
def collector_paused():
    """Python's cycle collector off while batches are parsed and written.

    An import allocates tens of millions of small objects; left on, the collector walks every
    object still alive each time enough of them were made, which cost as much as the parsing.
    What exists before the import is frozen (never walked again) and the rows of a batch are
    freed by reference counting: a batch makes no cycles (a collection after each batch of a
    1M-row import found nothing, and cost 30-80 ms for walking the rows still alive).
    :func:`collect_if_grown` collects when objects nonetheless pile up.
    """
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


#: Collect when this many more container objects are alive than after the last collection
#: (a batch of 20,000 rows keeps about 90,000-180,000 alive while it is being written).
COLLECT_AFTER_OBJECTS = 600_000


def collect_if_grown() -> bool:
    """Run the youngest generation when objects are piling up (see :func:`collector_paused`)."""
    if gc.isenabled() or gc.get_count()[0] < COLLECT_AFTER_OBJECTS:
        return False
    gc.collect(0)
    return True


def _produce(importer: Importer, path, info, parser, out) -> None:
    """Runs in the forked parser process: parsed chunks into ``out`` until the file ends."""
    forked.die_with_parent()  # not an orphan waiting on a full queue after a kill -9
    limit_parse_memory()  # a workbook's reader may not take the machine's memory
    importer.in_capped_child = True
    gc.disable()  # as in the importer: rows are freed by reference counting, see collector_paused
    gc.freeze()
    try:
        for items in importer._parsed_chunks(path, info, parser):
            out.put(("rows", pack_chunk(items)))
            collect_if_grown()
        out.put(("done", None))
    except FileProblem as exc:
        out.put(("problem", str(exc)))
    except BaseException as exc:  # report anything to the parent instead of dying silently
        out.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()
        out.join_thread()


class ForkedParser:
    """Reads and validates rows in a forked process while this one scans the file and writes.

    The process starts at once, so that it parses the first chunks while the scan runs. It only
    reads the file and runs pure checks (it never touches the database connection it inherits);
    at most ``QUEUE_CHUNKS`` parsed chunks wait in the queue.
    """

    def __init__(self, importer: Importer, path: Path, info: SourceInfo, parser: RowParser):
        district_exists("11.01.01")  # load the cached district list before forking
        ctx = multiprocessing.get_context("fork")
        self.channel = ctx.Queue(maxsize=QUEUE_CHUNKS)
        self.proc = ctx.Process(
            target=_produce,
            args=(importer, path, info, parser, self.channel),
            name="import_registry parser",
            daemon=True,
        )
        self.proc.start()

    def __iter__(self) -> Iterator[list[tuple[int, Any]]]:
        try:
            for kind, payload in forked.messages(self.proc, self.channel):
                if kind == "done":
                    return
                if kind == "problem":
                    raise FileProblem(payload)
                if kind == "error":
                    raise RuntimeError(payload)
                yield unpack_chunk(payload)
        except forked.ProducerStopped as exc:
            raise RuntimeError(f"the parser process {exc}") from None

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join(timeout=10)
        self.channel.close()


class Importer:
    """Runs one ImportBatch (new or resumed) to the end, a cancel, or an error."""

    #: Parse in a forked process while this one writes (large files only).
    fork = True
    #: Set search indexes aside during a large import (see ``bulkload``).
    bulk = True
    bulk_min_rows = bulkload.BULK_MIN_ROWS
    #: Look for duplicates of the people the import created (see ``duplicates``).
    check_duplicates = True
    #: Set in the forked parser, whose memory is already capped.
    in_capped_child = False

    def __init__(self, batch: ImportBatch, ctx=None, *, connection=None, batch_rows: int = 0):
        self.batch = batch
        self.ctx = ctx or NullContext()
        self.connection = connection or default_connection
        self.batch_rows = batch_rows or BATCH_ROWS
        self.sql = SqlWriter(self.connection)
        self.today = timezone.localdate()
        user = batch.user
        self.user = user
        # The importing user's area now (a resumed import follows a changed assignment).
        self.scope = (user.scope_code or "") if user is not None else ""
        self.can_sensitive = user is None or user.can(Cap.VIEW_SENSITIVE)
        self.reason = _("Impor berkas %(file)s (batch %(batch)s)") % {
            "file": batch.file_name[:120],
            "batch": batch.short_id,
        }
        self.report: Report | None = None
        self._tables: dict[str, Table] | None = None
        self.timings: defaultdict[str, float] = defaultdict(float)  # seconds per phase
        self.categories: dict[int, Category] = {}
        #: The registry held no household and no person when this import began: a batch's NIKs
        #: and KKs cannot be registered (a file's NIK occurs in one row and its households in
        #: one batch), so the look-ups are skipped. Should someone register one of them while
        #: the import runs, the unique keys stop that batch and it is planned again with them.
        self.started_empty = False
        #: Rows this run planned and committed: each one's NIK and KK were looked up.
        self.rows_checked = 0

    # -- entry point --------------------------------------------------------------------------

    def run(self) -> str:
        batch = self.batch
        if self.user is not None and not can_import(self.user):
            raise PermissionError(_("Akun ini tidak berwenang mengimpor data registri."))
        path = Path(batch.file_path)
        report_path = self.report_path()
        self.report = Report(report_path, batch.report_bytes)
        started = time.monotonic()
        if not self.connection.in_atomic_block:
            # Indexes left aside by an import that was killed are rebuilt before anything else.
            self._restore_indexes(leave_running_except=batch)
        try:
            try:
                info = self._inspect(path)
            except FileProblem as exc:
                self._fail_whole_file(str(exc))
                raise
            parser = self._parser(info)
            child = self._fork_parser(path, info, parser)
            try:
                self.ctx.message(
                    _("Tahap 1 dari 2: memeriksa NIK ganda dan nomor KK di seluruh berkas.")
                )
                t0 = time.monotonic()
                facts = scan_file(
                    self._rows(path, info),
                    parser,
                    info.header_row,
                    on_progress=self._scan_progress,
                )
                self.timings["scan"] += time.monotonic() - t0
                ImportBatch.objects.filter(pk=batch.pk).update(rows_total=facts.rows_total)
                batch.rows_total = facts.rows_total
                self.ctx.message(_("Tahap 2 dari 2: memeriksa dan menyimpan baris."))
                self._progress(force=True)
                chunks = child if child is not None else self._parsed_chunks(path, info, parser)
                with self._tuned(), collector_paused():
                    self._import(chunks, facts, in_child=child is not None)
            finally:
                if child is not None:
                    child.close()
            t0 = time.monotonic()
            self._analyze()
            self.timings["analyze"] += time.monotonic() - t0
        finally:
            self.report.close()
        took = time.monotonic() - started
        log.info("import %s: %s rows in %.1f s", batch.short_id, batch.rows_read, took)
        text = summary(batch)
        if self.check_duplicates:
            t0 = time.monotonic()
            self.ctx.message(_("Memeriksa kemungkinan data ganda penduduk baru."))
            found = duplicates.check_import(batch)
            self.timings["duplicate check"] += time.monotonic() - t0
            if found:
                text = f"{text} {found}"
        return text

    def record_lookup(self) -> None:
        """The access log's one ``lookup`` entry for a run that checked rows: the import and
        how many of its rows met records outside the importer's area so far (a resumed import
        logs its totals again when its run ends)."""
        if self.rows_checked:
            existence.record_bulk_check(
                self.user,
                self.batch,
                rows=self.batch.rows_read,
                elsewhere=self.batch.outside_scope,
            )

    def _scan_progress(self, rows: int) -> None:
        self.ctx.check_cancelled()
        self.ctx.progress(0, None, force=False, **{str(_("diperiksa (tahap 1)")): rows})

    def report_path(self) -> Path:
        if self.batch.report_path:
            return jobs_dir() / self.batch.report_path
        relative = f"imports/{self.batch.uid}/laporan-impor-{self.batch.short_id}.csv"
        self.batch.report_path = relative
        ImportBatch.objects.filter(pk=self.batch.pk).update(report_path=relative)
        return jobs_dir() / relative

    def _inspect(self, path: Path) -> SourceInfo:
        batch = self.batch
        if not path.is_file():
            raise FileProblem(_("Berkas impor tidak ditemukan lagi di server; unggah ulang."))
        info = inspect_file_limited(path, sheet=batch.sheet)
        if batch.sha256 and info.sha256 != batch.sha256:
            raise FileProblem(
                _(
                    "Berkas berubah sejak impor dimulai (sidik SHA-256 berbeda); impor tidak "
                    "dilanjutkan. Mulai impor baru dengan berkas ini."
                )
            )
        if batch.header_row:
            info.header_row = batch.header_row
        if batch.headers:
            info.headers = list(batch.headers)
        updates = {
            "sha256": info.sha256,
            "file_size": info.size,
            "file_kind": info.kind,
            "encoding": info.encoding,
            "delimiter": info.delimiter,
            "sheet": info.sheet,
            "header_row": info.header_row,
            "headers": info.headers,
        }
        for key, value in updates.items():
            setattr(batch, key, value)
        ImportBatch.objects.filter(pk=batch.pk).update(**updates)
        missing = missing_required(batch.mapping)
        if missing:
            labels = ", ".join(str(FIELD_BY_NAME[m].label) for m in missing)
            raise FileProblem(
                _("Kolom wajib belum dipetakan atau tidak ada di berkas: %(columns)s.")
                % {"columns": labels}
            )
        return info

    def _fail_whole_file(self, message: str) -> None:
        assert self.report is not None
        self.report.add({0: [("", "", message)]})
        size = self.report.flush()
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            report_bytes=size, report_lines=self.report.lines, message=message
        )
        self.batch.message = message

    def _parser(self, info: SourceInfo) -> RowParser:
        villages = frozenset(
            Area.objects.filter(level=Level.VILLAGE).values_list("code", flat=True)
        )
        categories = {
            cat.number: Category(
                number=cat.number,
                id=cat.id,
                name=cat.name,
                min_age=cat.min_age,
                max_age=cat.max_age,
                min_age_exclusive=cat.min_age_exclusive,
                max_age_exclusive=cat.max_age_exclusive,
                sex=cat.sex,
                sensitive=cat.sensitive,
                household_level=cat.household_level,
            )
            for cat in PPKSCategory.objects.all()
        }
        self.categories = categories
        self.parser = RowParser(
            headers=info.headers,
            mapping={k: int(v) for k, v in self.batch.mapping.items()},
            villages=villages,
            scope=self.scope,
            categories=categories,
            can_sensitive=self.can_sensitive,
            today=self.today,
        )
        return self.parser

    # -- pass 2 -------------------------------------------------------------------------------

    def _fork_parser(self, path: Path, info: SourceInfo, parser: RowParser) -> ForkedParser | None:
        """The forked parser for a file of more than about two batches, started now."""
        if not (
            self.fork
            and info.size > 2 * self.batch_rows * FORK_BYTES_PER_ROW
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            return None
        return ForkedParser(self, path, info, parser)

    def _import(self, chunks: Iterable[list[tuple[int, Any]]], facts: FileFacts, *, in_child: bool):
        batches = self._whole_households(chunks, facts.kk_last)
        remaining = facts.rows_total - max(self.batch.last_row - self.batch.header_row, 0)
        bulk = (
            self.bulk
            and not self.connection.in_atomic_block
            and bulkload.wanted(remaining, self.connection, min_rows=self.bulk_min_rows)
        )
        self.started_empty = (
            not Household.objects.using(self.connection.alias).exists()
            and not Person.objects.using(self.connection.alias).exists()
        )
        clock = time.monotonic
        if bulk:
            t0 = clock()
            dropped = bulkload.defer_indexes(
                self.batch, self.connection, lookups=not self.started_empty
            )
            self.timings["set indexes aside"] += clock() - t0
            if dropped:
                self.ctx.message(
                    _(
                        "Impor besar: %(n)s indeks pencarian disisihkan selama penulisan dan "
                        "dibangun ulang di akhir."
                    )
                    % {"n": len(dropped)}
                )
        try:
            t0 = clock()
            for items in batches:
                self.timings["wait for parser" if in_child else "read+parse"] += clock() - t0
                self._commit(items, facts)
                t0 = clock()
        finally:
            if bulk:
                t0 = clock()
                self._restore_indexes()
                self.timings["rebuild indexes"] += clock() - t0

    def _restore_indexes(self, **options) -> None:
        def on_index(name: str, number: int, total: int) -> None:
            self.ctx.message(
                _("Membangun ulang indeks %(number)s dari %(total)s.")
                % {"number": number, "total": total}
            )

        bulkload.restore_indexes(self.connection, on_index=on_index, **options)

    def _rows(self, path: Path, info: SourceInfo) -> Iterator[tuple[int, list[Any] | None]]:
        """The file's rows; a workbook's are read in a forked process of capped memory (unless
        this already is one), never in the worker itself."""
        if info.kind == "excel" and not self.in_capped_child:
            return excel_rows_limited(path, info)
        return iter_rows(path, info)

    def _parsed_chunks(
        self, path: Path, info: SourceInfo, parser: RowParser
    ) -> Iterator[list[tuple[int, Any]]]:
        """The rows after the resume point, parsed (``None`` for an empty row), ``batch_rows``
        at a time."""
        resume_after = max(self.batch.last_row, info.header_row)
        parse, is_empty = parser.parse, parser.is_empty
        items: list[tuple[int, Any]] = []
        size = self.batch_rows
        for row_no, cells in self._rows(path, info):
            if row_no <= resume_after:
                continue
            if cells is not None and is_empty(cells):
                items.append((row_no, None))
            else:
                items.append((row_no, parse(row_no, cells)))
            if len(items) >= size:
                yield items
                items = []
        if items:
            yield items

    def _whole_households(
        self, chunks: Iterable[list[tuple[int, Any]]], kk_last: dict[str, int]
    ) -> Iterator[list[tuple[int, Any]]]:
        """The parsed rows in batches of about ``batch_rows`` that end where no household
        continues further down the file (``kk_last`` comes from the scan)."""
        items: list[tuple[int, Any]] = []
        open_until = 0
        size = self.batch_rows
        for chunk in chunks:
            for item in chunk:
                items.append(item)
                row_no, result = item
                if type(result) is RowRecord:
                    last = kk_last.get(result.kk, row_no)
                    if last > open_until:
                        open_until = last
                if len(items) >= size and row_no >= open_until:
                    yield items
                    items = []
        if items:
            yield items

    @contextmanager
    def _tuned(self):
        """SQLite settings for this connection while it writes: a bigger page cache (the indexes
        of a million rows stay in memory between batches) and fewer WAL checkpoints (a page
        changed by several batches is copied back once). Durability is unchanged."""
        if not self.sql.sqlite or self.connection.in_atomic_block:
            yield
            return
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA wal_autocheckpoint")
            checkpoint = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
        try:
            yield
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache)}")
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _commit(self, items: list[tuple[int, Any]], facts: FileFacts) -> None:
        """Decide and write one batch of whole households in one transaction."""
        self.ctx.check_cancelled()
        if not self.started_empty:
            self._commit_once(items, facts)
            return
        # Django's error, and the driver's (the writer talks to the driver's connection).
        driver_error = getattr(self.connection, "Database", None)
        errors = (IntegrityError, getattr(driver_error, "IntegrityError", IntegrityError))
        try:
            self._commit_once(items, facts)
        except errors:
            # Someone registered a person or household of this batch since the import began
            # (see ``started_empty``): the batch was rolled back; plan it again with look-ups.
            log.info("import %s: registry no longer empty, looking keys up", self.batch.short_id)
            self.started_empty = False
            assert self.report is not None
            self.report.rewind(self.batch.report_bytes)
            self._commit_once(items, facts)

    def _commit_once(self, items: list[tuple[int, Any]], facts: FileFacts) -> None:
        assert self.report is not None
        batch = self.batch
        clock = time.monotonic
        t0 = clock()
        c0 = time.process_time()
        with transaction.atomic(using=self.connection.alias):
            if not self.sql.sqlite:
                # A commit lost in a crash is redone by the resume (the batch's progress is in
                # the same transaction), so the import need not wait for each WAL flush.
                self.sql.execute("SET LOCAL synchronous_commit TO OFF")
            plan = self._plan(items, facts)
            t1 = clock()
            c1 = time.process_time()
            # The report is written ahead of the commit; a rollback leaves lines past
            # ``report_bytes``, which a resume cuts off.
            self.report.add(plan.rejected)
            report_bytes = self.report.flush()
            self._execute(plan)
            t2 = clock()
            c2 = time.process_time()
            counts = plan.counts
            fields = {
                "last_row": items[-1][0],
                "batches_committed": batch.batches_committed + 1,
                "rows_read": batch.rows_read + len(items),
                "skipped_empty": batch.skipped_empty + counts["skipped_empty"],
                "rejected": batch.rejected + len(plan.rejected),
                "created": batch.created + counts["created"],
                "updated": batch.updated + counts["updated"],
                "unchanged": batch.unchanged + counts["unchanged"],
                "households_created": batch.households_created + counts["households_created"],
                "households_updated": batch.households_updated + counts["households_updated"],
                "ppks_created": batch.ppks_created + counts["ppks_created"],
                "outside_scope": batch.outside_scope + counts["outside_scope"],
                "report_bytes": report_bytes,
                "report_lines": batch.report_lines + self.report.lines,
            }
            ImportBatch.objects.filter(pk=batch.pk).update(**fields)
        t3 = clock()
        self.timings["plan"] += t1 - t0
        self.timings["write"] += t2 - t1
        self.timings["commit"] += t3 - t2
        self.timings["cpu: plan"] += c1 - c0
        self.timings["cpu: write"] += c2 - c1
        self.timings["cpu: commit"] += time.process_time() - c2
        for key, value in fields.items():
            setattr(batch, key, value)
        self.rows_checked += len(items)
        self.report.lines = 0
        self._progress(force=True)
        t0 = clock()
        if collect_if_grown():
            self.timings["collect"] += clock() - t0

    def _progress(self, force: bool = False) -> None:
        b = self.batch
        self.ctx.progress(
            b.rows_read,
            b.rows_total,
            force=force,
            **{
                str(_("baru")): b.created,
                str(_("diubah")): b.updated,
                str(_("tidak berubah")): b.unchanged,
                str(_("ditolak")): b.rejected,
                str(_("baris kosong")): b.skipped_empty,
                str(_("keluarga baru")): b.households_created,
                str(_("keluarga diubah")): b.households_updated,
            },
        )

    # -- one batch: decide (reads only) -------------------------------------------------------

    def _plan(self, items: list[tuple[int, Any]], facts: FileFacts) -> Plan:
        plan = Plan()
        counts, rejected = plan.counts, plan.rejected
        records: list[RowRecord] = []
        for row_no, result in items:
            if result is None:
                counts["skipped_empty"] += 1
            elif not isinstance(result, RowRecord):
                rejected[row_no] = result
            else:
                issues = self._file_issues(result, facts)
                if issues:
                    rejected[row_no] = issues
                else:
                    records.append(result)
        if not records:
            return plan
        sql = self.sql
        people: dict[str, dict[str, Any]] = {}
        households: dict[str, dict[str, Any]] = {}
        if not self.started_empty:
            people = {
                row[2]: dict(zip(PERSON_SELECT, row, strict=True))
                for row in sql.select_in(
                    f"SELECT {', '.join(PERSON_SELECT)} FROM registry_person WHERE {{cond}}",  # noqa: S608
                    "nik",
                    [r.nik for r in records],
                )
            }
            households = {
                row[2]: dict(zip(HOUSEHOLD_SELECT, row, strict=True))
                for row in sql.select_in(
                    f"SELECT {', '.join(HOUSEHOLD_SELECT)} FROM registry_household WHERE {{cond}}",  # noqa: S608
                    "kk_number",
                    list(dict.fromkeys(r.kk for r in records)),
                )
            }
        # A NIK or KK registered outside the importer's area: the registry's neutral refusal,
        # the same words for both and for every area (see ``registry.existence``).
        scope = self.scope
        elsewhere = existence.elsewhere_message()
        groups: dict[str, list[RowRecord]] = defaultdict(list)
        for r in records:
            p = people.get(r.nik)
            if p is not None and scope and not (p["area_code"] or "").startswith(scope):
                rejected[r.row] = [(self.label("nik"), "", elsewhere)]
                counts["outside_scope"] += 1
            else:
                groups[r.kk].append(r)

        # Household rules: scope of a registered KK (as for a NIK), one value per household
        # column, a head for a new household, and no second head next to the registry's.
        heads: dict[int, set[str]] = defaultdict(set)
        for hh_id, nik in sql.select_in(
            "SELECT household_id, nik FROM registry_person "
            "WHERE relationship = 1 AND status = 'active' AND {cond}",
            "household_id",
            [h["id"] for kk, h in households.items() if kk in groups],
        ):
            heads[hh_id].add(nik)
        for kk, group in list(groups.items()):
            hh = households.get(kk)
            if hh is not None and scope and not hh["village_id"].startswith(scope):
                problem = elsewhere
                counts["outside_scope"] += len(group)
            else:
                problem = self._household_problem(kk, group, hh, facts)
            if problem:
                for r in group:
                    rejected[r.row] = [(self.label("kk_number"), "", problem)]
                del groups[kk]
                continue
            if hh is not None and heads.get(hh["id"]):
                demoted = {r.nik for r in group if r.relationship != c.Relationship.HEAD}
                for r in group:
                    if r.relationship == c.Relationship.HEAD and (
                        heads[hh["id"]] - demoted - {r.nik}
                    ):
                        rejected[r.row] = [(self.label("relationship"), "", _second_head_message())]
                group[:] = [r for r in group if r.row not in rejected]
                if not group:
                    del groups[kk]

        # What changes.
        mapping = self.batch.mapping
        person_fields = [f for f in PERSON_COMPARED if f in _ALWAYS or f in mapping]
        person_fields.append("area_code")
        household_fields = [f for f in HOUSEHOLD_COMPARED if f in _ALWAYS_HH or f in mapping]
        # Most rows of a re-import are unchanged: compare all fields at once first (in C).
        same_person = itemgetter(*person_fields)
        for kk, group in groups.items():
            values = _household_values(group, household_fields)
            hh = households.get(kk)
            if hh is None:
                target = {"kk_number": kk, "id": None, **values}
                plan.new_households.append(target)
            else:
                changes = {k: v for k, v in values.items() if _differs(hh.get(k), v)}
                if changes:
                    plan.household_updates.append((hh, changes))
                target = {**hh, **values}
            plan.targets[kk] = target
        existing_ppks = self._active_ppks(
            [people[r.nik]["id"] for g in groups.values() for r in g if r.nik in people],
            [households[kk]["id"] for kk in groups if kk in households],
        )
        cat = self.categories
        for kk, group in groups.items():
            target = plan.targets[kk]
            for r in group:
                p = people.get(r.nik)
                if p is None:
                    plan.new_people.append(r)
                    continue
                values = r.person  # its own dict
                values["area_code"] = target["village_id"]
                if same_person(p) == same_person(values):
                    changes = {}
                else:
                    changes = {k: values[k] for k in person_fields if _differs(p.get(k), values[k])}
                if "full_name" in changes:
                    changes["name_key"] = values["name_key"]
                stored = p.get("quality_flags")
                if stored != values["quality_flags"]:  # text on SQLite, a list on PostgreSQL
                    flags = json.loads(values["quality_flags"])
                    if _json_list(stored) != flags:
                        changes["quality_flags"] = flags
                        changes["flagged"] = values["flagged"]
                moved = target["id"] is None or p["household_id"] != target["id"]
                if moved:
                    changes["household_id"] = None  # known once the household has its id
                added = [n for n in r.ppks_person if (cat[n].id, p["id"]) not in existing_ppks]
                if (changes or added) and p["status"] != c.PersonStatus.ACTIVE:
                    rejected[r.row] = [
                        (
                            self.label("nik"),
                            "",
                            _(
                                "Penduduk ini berstatus “%(status)s” di registri; "
                                "datanya tidak diubah lewat impor."
                            )
                            % {"status": c.PersonStatus(p["status"]).label},
                        )
                    ]
                    continue
                if not changes and not added:
                    counts["unchanged"] += 1
                    continue
                plan.person_updates.append((r, p, changes, added))
            wanted: list[int] = []
            for r in group:
                if r.row in rejected:
                    continue
                for n in r.ppks_household:
                    if n not in wanted and (
                        target["id"] is None or (cat[n].id, -target["id"]) not in existing_ppks
                    ):
                        wanted.append(n)
            if wanted:
                plan.household_ppks.append((target, wanted))
        return plan

    def label(self, name: str) -> str:
        return self.parser.labels.get(name, name)

    def _file_issues(self, r: RowRecord, facts: FileFacts) -> list[Issue]:
        issues: list[Issue] = []
        others = facts.duplicates.get(r.nik)
        if others:
            issues.append(
                (
                    self.label("nik"),
                    "",
                    _(
                        "NIK ini muncul lebih dari sekali di berkas (baris %(rows)s); semua baris "
                        "dengan NIK ini ditolak. Periksa mana yang benar."
                    )
                    % {"rows": _rows_text(others)},
                )
            )
        rows = facts.kk_conflicts.get(r.kk)
        if rows:
            issues.append(
                (
                    self.label("kk_number"),
                    "",
                    _(
                        "Nomor KK ini tercatat dengan desa/RT/RW berbeda di baris %(rows)s; satu "
                        "keluarga harus satu alamat, semua barisnya ditolak."
                    )
                    % {"rows": _rows_text(rows)},
                )
            )
        rows = facts.kk_heads.get(r.kk)
        if rows:
            issues.append(
                (
                    self.label("relationship"),
                    "",
                    _(
                        "Nomor KK ini memiliki lebih dari satu kepala keluarga di berkas (baris "
                        "%(rows)s); semua barisnya ditolak."
                    )
                    % {"rows": _rows_text(rows)},
                )
            )
        return issues

    def _household_problem(
        self, kk: str, group: list[RowRecord], hh: dict | None, facts: FileFacts
    ) -> str:
        given = [(r.row, r.household) for r in group] if self.parser.household_optional else []
        for name in self.parser.household_optional:
            values = {hh[name] for _row, hh in given if name in hh}
            if len(values) > 1:
                rows = [row for row, hh in given if name in hh]
                return _(
                    "Isian “%(label)s” berbeda antarbaris dengan nomor KK yang sama "
                    "(baris %(rows)s); satu keluarga hanya boleh satu nilai."
                ) % {"label": FIELD_BY_NAME[name].label, "rows": _rows_text(rows)}
        if hh is None and not any(r.relationship == c.Relationship.HEAD for r in group):
            head_row = facts.kk_head.get(kk)
            if head_row:
                return _(
                    "Keluarga baru ini tidak dapat dibuat karena baris kepala keluarganya "
                    "(baris %(row)s) ditolak."
                ) % {"row": head_row}
            return _(
                "Nomor KK ini belum terdaftar dan tidak ada baris kepala keluarga (hubungan 1) "
                "untuknya di berkas; keluarga baru harus memiliki kepala keluarga."
            )
        return ""

    def _active_ppks(self, person_ids: list[int], household_ids: list[int]) -> set[tuple]:
        """(category id, person id) and (category id, -household id) of active PPKS."""
        found: set[tuple] = set()
        for cat, pid in self.sql.select_in(
            "SELECT category_id, person_id FROM registry_ppksassignment "
            "WHERE active = %s AND {cond}",
            "person_id",
            person_ids,
            extra=[True],
        ):
            found.add((cat, pid))
        for cat, hid in self.sql.select_in(
            "SELECT category_id, household_id FROM registry_ppksassignment "
            "WHERE active = %s AND person_id IS NULL AND {cond}",
            "household_id",
            household_ids,
            extra=[True],
        ):
            found.add((cat, -hid))
        return found

    # -- one batch: write ---------------------------------------------------------------------

    def _execute(self, plan: Plan) -> None:
        counts = plan.counts
        sql = self.sql
        d = sql.date
        now = sql.now()
        today = d(self.today)
        batch_id = self.batch.pk
        reason = self.reason[:300]
        tables = self.tables
        log_rows: list[tuple] = []

        # Households, a column at a time (see the people below).
        new_households = plan.new_households
        ids = sql.reserve_ids("registry_household", len(new_households))
        for target, hh_id in zip(new_households, ids, strict=True):
            target["id"] = hh_id
        n = len(new_households)
        if n:
            household_table = tables["household"]
            given: dict[str, Sequence[Any]] = {
                "uid": new_uids(n),
                "created_at": (now,) * n,
                "updated_at": (now,) * n,
                "status": ("active",) * n,
                "assets": ("[]",) * n,
                "livestock": ("{}",) * n,
                "cards": ("[]",) * n,
                "has_business": (False,) * n,
            }
            for key in dict.fromkeys(k for t in new_households for k in t):
                given[key] = [t.get(key) for t in new_households]
            sql.insert_columns(
                household_table.name, household_table.columns, household_table.fill(given, n)
            )
        log_rows.extend(_created_runs(batch_id, "household", ids))
        counts["households_created"] += n
        self._update_households(plan.household_updates, now, log_rows)
        counts["households_updated"] += len(plan.household_updates)

        # New people, each with a membership. Written a column at a time: a batch's rows share
        # their keys, and most columns are one value for all (defaults, timestamps).
        targets = plan.targets
        new_people = plan.new_people
        new_people.sort(key=_nik)  # the NIK index is then filled page by page
        ids = sql.reserve_ids("registry_person", len(new_people))
        ppks: list[dict[str, Any]] = []
        person_table = tables["person"]
        households = [targets[kk] for kk in map(_kk, new_people)]
        household_ids = [t["id"] for t in households]
        areas = [t["village_id"] for t in households]
        for start, end in _runs_of_same_keys(new_people):
            records = new_people[start:end]
            by_column = zip(*map(_person_values, records), strict=True)
            given = dict(zip(records[0][4], by_column, strict=True))
            n = end - start
            given.update(
                id=ids[start:end],
                uid=new_uids(n),
                created_at=(now,) * n,
                updated_at=(now,) * n,
                nik=list(map(_nik, records)),
                household_id=household_ids[start:end],
                area_code=areas[start:end],
            )
            given["birth_date"] = list(map(birth_date_text, given["birth_date"]))
            sql.insert_columns(person_table.name, person_table.columns, person_table.fill(given, n))
        member_people, member_households = list(ids), household_ids
        member_roles = [r.relationship for r in new_people]
        for r, pid, area in zip(new_people, ids, areas, strict=True):
            for number in r.ppks_person:
                ppks.append(self._ppks_row(number, pid, None, area, now))
        log_rows.extend(_created_runs(batch_id, "person", ids))
        counts["created"] += len(new_people)

        # People already registered: changed fields, moves between households, new PPKS.
        updates: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        moved: list[tuple[int, int, int, str]] = []
        for r, p, changes, added in plan.person_updates:
            target = targets[r.kk]
            if "household_id" in changes:
                changes["household_id"] = target["id"]
                moved.append((p["id"], target["id"], r.relationship, target["village_id"]))
            for number in added:
                ppks.append(self._ppks_row(number, p["id"], None, target["village_id"], now))
            counts["updated"] += 1
            before = {k: _jsonable(p.get(k)) for k in changes if k not in _QUIET}
            after: dict[str, Any] = {k: _jsonable(v) for k, v in changes.items() if k not in _QUIET}
            if added:
                after["ppks_added"] = added
            log_rows.append(
                (
                    batch_id,
                    "person",
                    p["id"],
                    None,
                    "updated",
                    json.dumps(before),
                    json.dumps(after),
                )
            )
            if changes:
                changed = tuple(sorted(changes))
                new_values = [_db_value(k, changes[k], d) for k in changed]
                updates[(*changed, "updated_at")].append((*new_values, now, p["id"]))
        for update_columns, update_rows in updates.items():
            sql.update_many("registry_person", update_columns, update_rows)
        if moved:
            sql.update_many(
                "registry_membership",
                ["ended", "reason"],
                [(today, reason, pid) for pid, _h, _r, _v in moved],
                key="ended IS NULL AND person_id",
            )
            sql.update_many(
                "registry_ppksassignment",
                ["area_code"],
                [(village, pid) for pid, _h, _r, village in moved],
                key="person_id",
            )
            for pid, hid, rel, _v in moved:
                member_people.append(pid)
                member_households.append(hid)
                member_roles.append(rel)
        n = len(member_people)
        sql.insert_columns(
            "registry_membership",
            ["person_id", "household_id", "relationship", "started", "ended", "reason"],
            [member_people, member_households, member_roles, (today,) * n, (None,) * n,
             (reason,) * n],
        )  # fmt: skip

        # Household-level PPKS (written on any member's row, usually the head's).
        for target, numbers in plan.household_ppks:
            for number in numbers:
                ppks.append(self._ppks_row(number, None, target["id"], target["village_id"], now))
        ppks_columns, getter = tables["ppks"].without_id()
        defaults = tables["ppks"].defaults
        sql.insert(tables["ppks"].name, ppks_columns, [getter({**defaults, **v}) for v in ppks])
        counts["ppks_created"] += len(ppks)

        sql.insert(
            ImportChange._meta.db_table,
            ["batch_id", "model", "object_id", "last_object_id", "action", "before", "after"],
            log_rows,
        )

    @property
    def tables(self) -> dict[str, Table]:
        if self._tables is None:
            self._tables = {
                "household": Table(Household, self.connection),
                "person": Table(Person, self.connection),
                "ppks": Table(PPKSAssignment, self.connection),
            }
        return self._tables

    def _ppks_row(self, number: int, person_id, household_id, area_code: str, now) -> dict:
        return {
            "uid": new_uid(),
            "created_at": now,
            "updated_at": now,
            "category_id": self.categories[number].id,
            "person_id": person_id,
            "household_id": household_id,
            "area_code": area_code,
            "identified_on": self.sql.date(self.today),
            "source": PPKSAssignment.Source.IMPORT.value,
            "active": True,
            "note": self.reason[:500],
        }

    def _update_households(
        self, updates: list[tuple[dict, dict]], now, log_rows: list[tuple]
    ) -> None:
        sql = self.sql
        grouped: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        for hh, changes in updates:
            columns = tuple(sorted(changes))
            grouped[(*columns, "updated_at")].append(
                (*[changes[k] for k in columns], now, hh["id"])
            )
            before = {k: _jsonable(hh.get(k)) for k in changes}
            after = {k: _jsonable(v) for k, v in changes.items()}
            log_rows.append(
                (
                    self.batch.pk,
                    "household",
                    hh["id"],
                    None,
                    "updated",
                    json.dumps(before),
                    json.dumps(after),
                )
            )
            if "village_id" in changes:
                # People and PPKS carry their household's village for area scoping.
                village = changes["village_id"]
                sql.execute(
                    "UPDATE registry_person SET area_code = %s WHERE household_id = %s",
                    [village, hh["id"]],
                )
                sql.execute(
                    "UPDATE registry_ppksassignment SET area_code = %s WHERE household_id = %s "
                    "OR person_id IN (SELECT id FROM registry_person WHERE household_id = %s)",
                    [village, hh["id"], hh["id"]],
                )
        for columns, rows in grouped.items():
            sql.update_many("registry_household", columns, rows)

    def _analyze(self) -> None:
        """Fresh planner statistics after a large load (sampled, so cheap)."""
        if self.batch.created < 50_000:
            return
        with self.connection.cursor() as cursor:
            if self.sql.sqlite:
                cursor.execute("PRAGMA analysis_limit = 1000")
            for table in ("registry_household", "registry_person", "registry_membership"):
                cursor.execute(f"ANALYZE {table}")


@dataclass
class Plan:
    """What one batch will write; built from reads only, so nothing is half-written."""

    counts: Counter = field(default_factory=Counter)
    rejected: dict[int, list[Issue]] = field(default_factory=dict)
    targets: dict[str, dict] = field(default_factory=dict)  # kk -> household values (+ id)
    new_households: list[dict] = field(default_factory=list)
    household_updates: list[tuple[dict, dict]] = field(default_factory=list)
    new_people: list[RowRecord] = field(default_factory=list)
    person_updates: list[tuple[RowRecord, dict, dict, list[int]]] = field(default_factory=list)
    household_ppks: list[tuple[dict, list[int]]] = field(default_factory=list)


_nik = itemgetter(1)
_kk = itemgetter(2)
_person_values = itemgetter(5)


def _runs_of_same_keys(records: list[RowRecord]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of records whose person fields have the same keys."""
    start = 0
    for index in range(1, len(records) + 1):
        if index == len(records):
            yield start, index
        else:
            keys, first = records[index][4], records[start][4]
            if keys is not first and keys != first:
                yield start, index
                start = index


def _created_runs(batch_id: int, model: str, ids: list[int]) -> list[tuple]:
    """One change-log row per run of consecutive keys (a batch's keys are usually one run)."""
    runs: list[tuple] = []
    if not ids:
        return runs
    start = previous = ids[0]
    for key in ids[1:]:
        if key != previous + 1:
            runs.append((batch_id, model, start, previous, "created", None, None))
            start = key
        previous = key
    runs.append((batch_id, model, start, previous, "created", None, None))
    return runs


def _second_head_message() -> str:
    return _(
        "Keluarga ini sudah memiliki kepala keluarga lain di registri. Ubah dulu hubungan kepala "
        "keluarga yang lama (di berkas yang sama atau lewat halaman keluarga)."
    )


def _db_value(name: str, value: Any, d: Callable) -> Any:
    if name == "birth_date":
        return d(value)
    if name == "quality_flags":
        return json.dumps(value)
    return value


_ALWAYS = {"full_name", "sex", "birth_place", "birth_date", "relationship", "marital_status"}
_ALWAYS_HH = {"village_id", "rt", "rw", "address"}
_QUIET = {"name_key", "flagged"}


def _household_values(group: list[RowRecord], fields: list[str]) -> dict[str, Any]:
    """A household's values from its rows: area and RT/RW from the first row, the address from
    the head's row (else the first row that has one), other fields from the first row that has
    them. Only the rows needed are turned into dicts."""
    first = group[0].household
    head_row = next((r for r in group if r.relationship == c.Relationship.HEAD), group[0])
    head = first if head_row is group[0] else head_row.household
    values: dict[str, Any] = {
        "village_id": first["village_id"],
        "rt": first["rt"],
        "rw": first["rw"],
    }
    given: list[dict[str, Any]] | None = None
    address = head["address"]
    if not address:
        given = [r.household for r in group]
        address = next((hh["address"] for hh in given if hh["address"]), "")
    values["address"] = address
    for name in fields:
        if name in values:
            continue
        if name in first:
            values[name] = first[name]
            continue
        if given is None:
            given = [r.household for r in group]
        values[name] = next((hh[name] for hh in given if name in hh), None)
    return values


def _differs(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is not new and not (old in ("", None) and new in ("", None))
    if isinstance(new, date) and not isinstance(old, date):
        return str(old) != new.isoformat()
    if isinstance(new, bool) or isinstance(old, bool):
        return bool(old) != bool(new)
    return old != new


def _json_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return json.loads(value)
    return list(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def summary(batch: ImportBatch) -> str:
    """The sentence shown on the job page and printed by the command."""
    return _(
        "Dibaca %(read)s baris data: %(accepted)s diterima (%(created)s baru, %(updated)s diubah, "
        "%(unchanged)s tidak berubah), %(rejected)s ditolak, %(empty)s baris kosong dilewati. "
        "Diterima + ditolak + kosong = dibaca. Keluarga: %(hh_new)s baru, %(hh_changed)s diubah; "
        "PPKS baru: %(ppks)s."
    ) % {
        "read": _n(batch.rows_read),
        "accepted": _n(batch.accepted),
        "created": _n(batch.created),
        "updated": _n(batch.updated),
        "unchanged": _n(batch.unchanged),
        "rejected": _n(batch.rejected),
        "empty": _n(batch.skipped_empty),
        "hh_new": _n(batch.households_created),
        "hh_changed": _n(batch.households_updated),
        "ppks": _n(batch.ppks_created),
    }


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")
