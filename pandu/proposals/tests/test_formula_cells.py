"""The proposals report's Excel file never holds a formula, whatever its title or an area's
name says."""

from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl

from pandu.proposals.reports import COLUMNS, report_xlsx


def _row(name: str, **numbers) -> SimpleNamespace:
    values = {key: numbers.get(key, 0) for key, _label in COLUMNS}
    return SimpleNamespace(**{**values, "code": "73.09.13", "name": name})


def test_area_names_title_and_filters_are_text_not_formulas():
    report = {"rows": [_row("=1+1", proposed=-3)], "total": _row("Jumlah", proposed=-3)}
    data = report_xlsx(report, title="@Laporan", filters="-periode 2026")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert {"'=1+1", "'@Laporan", "'-periode 2026"} <= set(values)
    assert -3 in values and "73.09.13" in values
