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

The package's parts: ``source`` (:class:`SourceInfo`, :class:`FileProblem`, cells as text, the
header row), ``text`` (CSV: encoding, delimiter, rows), ``excel`` (workbooks, read in a capped
process) and ``files`` (a file of either kind: its kind, its description, its rows).
"""

from .excel import (
    PARSE_MEMORY,
    ROWS_PER_MESSAGE,
    check_declared_size,
    excel_rows_limited,
    limit_parse_memory,
    parse_memory,
)
from .files import file_kind, inspect_file, inspect_file_limited, iter_rows, sample_rows
from .source import HEADER_SEARCH_ROWS, SNIFF_BYTES, FileProblem, SourceInfo, cell_text, sha256_of
from .text import DELIMITERS, csv_rows, sniff_delimiter

__all__ = [
    "PARSE_MEMORY",
    "ROWS_PER_MESSAGE",
    "check_declared_size",
    "excel_rows_limited",
    "limit_parse_memory",
    "parse_memory",
    "file_kind",
    "inspect_file",
    "inspect_file_limited",
    "iter_rows",
    "sample_rows",
    "HEADER_SEARCH_ROWS",
    "SNIFF_BYTES",
    "FileProblem",
    "SourceInfo",
    "cell_text",
    "sha256_of",
    "DELIMITERS",
    "csv_rows",
    "sniff_delimiter",
]
