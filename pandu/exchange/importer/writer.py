"""The second pass: parsed rows planned against the registry and written in batches."""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db import connection as default_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core import forked
from pandu.regions.models import Area, Level
from pandu.regions.queries import district_exists
from pandu.registry import existence
from pandu.registry.models import Household, Person, PPKSCategory

from .. import bulkload, duplicates
from ..layout import FIELD_BY_NAME, missing_required
from ..models import ImportBatch
from ..permissions import can_import
from ..readers import (
    FileProblem,
    SourceInfo,
    excel_rows_limited,
    inspect_file_limited,
    iter_rows,
    limit_parse_memory,
)
from ..rows import Category, RowParser, RowRecord, pack_chunk, unpack_chunk
from ..writer import SqlWriter, Table
from .execution import Execution
from .planning import Planning
from .report import Report
from .scan import (
    BATCH_ROWS,
    FORK_BYTES_PER_ROW,
    QUEUE_CHUNKS,
    SQLITE_CACHE_KIB,
    SQLITE_CHECKPOINT_PAGES,
    FileFacts,
    NullContext,
    jobs_dir,
    log,
    scan_file,
)
from .values import summary


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


class Importer(Planning, Execution):
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
