"""Cells of the CSV and Excel files the product writes: text never runs as a formula.

A spreadsheet runs a cell beginning with ``=``, ``+``, ``-`` or ``@`` (also after a tab or a
carriage return) as a formula, so a name typed as ``=HYPERLINK(...)`` would become a link that
sends data away when a colleague opens the export. Such text gets a leading apostrophe (the
importer takes it off again). Numbers, dates and codes are written as they are: a negative
number stays a number, and text that is just a signed number ("-5", "+628123") runs nothing.
Only the first character is looked at, so the exporter pays almost nothing per cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = frozenset("=+-@\t\r")
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:[.,]\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that no spreadsheet will run."""
    if not isinstance(value, str) or not value or value[0] not in FORMULA_STARTS:
        return value
    if _SIGNED_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_text(value: Any) -> str:
    """The cell as text (None is empty), made safe: for CSV writers that write strings."""
    return safe_cell("" if value is None else str(value))


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
