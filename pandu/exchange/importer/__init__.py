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

from .report import Report
from .scan import (
    BATCH_ROWS,
    FORK_BYTES_PER_ROW,
    HOUSEHOLD_COMPARED,
    HOUSEHOLD_SELECT,
    MAX_ROWS_LISTED,
    PERSON_COMPARED,
    PERSON_SELECT,
    QUEUE_CHUNKS,
    REPORT_HEADER,
    SQLITE_CACHE_KIB,
    SQLITE_CHECKPOINT_PAGES,
    FileFacts,
    NullContext,
    jobs_dir,
    log,
    scan_file,
)
from .values import Plan, _created_runs, summary
from .writer import (
    COLLECT_AFTER_OBJECTS,
    ForkedParser,
    Importer,
    collect_if_grown,
    collector_paused,
)

__all__ = [
    "BATCH_ROWS",
    "COLLECT_AFTER_OBJECTS",
    "FORK_BYTES_PER_ROW",
    "FileFacts",
    "ForkedParser",
    "HOUSEHOLD_COMPARED",
    "HOUSEHOLD_SELECT",
    "Importer",
    "MAX_ROWS_LISTED",
    "NullContext",
    "PERSON_COMPARED",
    "PERSON_SELECT",
    "Plan",
    "QUEUE_CHUNKS",
    "REPORT_HEADER",
    "Report",
    "SQLITE_CACHE_KIB",
    "SQLITE_CHECKPOINT_PAGES",
    "_created_runs",
    "collect_if_grown",
    "collector_paused",
    "jobs_dir",
    "log",
    "scan_file",
    "summary",
]
