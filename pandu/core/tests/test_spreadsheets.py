"""Text a spreadsheet would run as a formula is written with a leading apostrophe, by every
writer of CSV and Excel files; numbers, codes and NIKs are written as they are."""

from __future__ import annotations

from datetime import date

import pytest

from pandu.core.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    "value",
    [
        "=1+2",
        '=HYPERLINK("http://contoh.invalid","Klik")',
        "+62 812 3456 7890 =cmd",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+2",
        "\r=1+2",
    ],
)
def test_text_that_would_run_as_a_formula_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        -5,
        -2.5,
        0,
        "-5",
        "+62812345678",
        "-1,5",
        "7309134505900001",
        "0701",
        "Siti Aminah",
        "",
        None,
        date(2020, 1, 2),
        True,
    ],
)
def test_numbers_codes_nik_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value


def test_a_row_is_made_safe_cell_by_cell():
    assert safe_row(["=1", 3, "Desa", None]) == ["'=1", 3, "Desa", None]
