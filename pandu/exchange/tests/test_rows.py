"""The row parser's shortcut for sound NIKs decides exactly as the full NIK check would."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from pandu.exchange.layout import CORE_COLUMNS
from pandu.exchange.rows import RowParser
from pandu.regions.queries import district_exists
from pandu.registry.nik import check_nik, nik_date_digits, nik_district


def _parser() -> RowParser:
    return RowParser(
        headers=list(CORE_COLUMNS),
        mapping={name: index for index, name in enumerate(CORE_COLUMNS)},
        villages=frozenset(),
        scope="",
        categories={},
        can_sensitive=False,
        today=date(2026, 12, 3),
    )


def test_date_digits_and_district_of_a_nik():
    assert nik_date_digits(date(1980, 5, 17), "L") == "170580"
    assert nik_date_digits(date(1980, 5, 17), "P") == "570580"  # 40 added to a woman's day
    assert nik_date_digits(date(2000, 2, 29), "P") == "690200"
    assert nik_date_digits(date(1980, 5, 17), None) is None
    assert nik_district("730913") == "73.09.13"
    for unsound in ("000913", "730013", "730900", "73091", "73O913", "７３0913"):
        assert nik_district(unsound) is None


@pytest.mark.django_db
def test_the_shortcut_agrees_with_the_full_check_on_every_kind_of_number(areas):
    parser = _parser()
    born = [date(1980, 5, 17), date(2000, 2, 29), date(1969, 12, 31), date(2024, 1, 1)]
    prefixes = ["730913", "730901", "739999", "000913", "730013", "730900"]
    digits = {"170580", "570580", "290200", "690200", "311269", "711269", "010124", "410124"}
    digits |= {"320580", "171380", "300280", "170581", "720580"}  # impossible or another date
    serials = ["0001", "0000", "9999"]
    odd = ["730913170580001", "7309131705800001 ", "73091317058O0001", "7309131705800001"]
    numbers = [p + d + s for p, d, s in itertools.product(prefixes, sorted(digits), serials)]
    taken = 0
    for number, birth, sex in itertools.product(numbers + odd, born + [None], ["L", "P", None]):
        full = check_nik(number, birth_date=birth, sex=sex, known_district=district_exists)
        clean = full.value == number and not (full.errors or full.warnings or full.flags)
        agrees = parser._nik_agrees(number, birth, sex)
        if birth is not None and sex is not None:
            assert agrees is clean, (number, birth, sex)
        else:
            assert not agrees  # without both, the full check runs
        taken += clean
    assert taken >= 8  # the sound cases are there, not only rejections
