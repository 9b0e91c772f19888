"""A parsed row and how rows cross between the parser and the writer processes."""

from __future__ import annotations

import functools
import marshal
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from pandu.registry.nik import normalise_number

from ..readers import cell_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 29-02-1900
MAX_SHOWN = 60
_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Category:
    """What the importer needs of a PPKS category (a copy of the row, safe to pickle)."""

    number: int
    id: int
    name: str
    min_age: int | None
    max_age: int | None
    min_age_exclusive: bool
    max_age_exclusive: bool
    sex: str
    sensitive: bool
    household_level: bool

    def accepts_age(self, age: int) -> bool:
        lo, hi = self.min_age, self.max_age
        if lo is not None and (age <= lo if self.min_age_exclusive else age < lo):
            return False
        return not (hi is not None and (age >= hi if self.max_age_exclusive else age > hi))

    def rule_text(self) -> str:
        lo, hi = self.min_age, self.max_age
        if lo is not None and hi is not None:
            return f"{lo}–{hi}"
        if lo is not None:
            return f"{'>' if self.min_age_exclusive else '≥'}{lo}"
        if hi is not None:
            return f"{'<' if self.max_age_exclusive else '≤'}{hi}"
        return "—"


class RowRecord(tuple):
    """A row that passed every row-level check.

    A tuple of plain values underneath: parsed rows cross from the parser process to the writer
    a million at a time (:func:`pack_chunk`), and ``marshal`` handles plain tuples, strings and
    numbers entirely in C. The person's and household's fields travel as a tuple of keys shared
    by the batch (written once) and a tuple of values; the birth date is among the values as
    its day number (``date.toordinal()``): a date object costs a Python call per row to move
    between processes. :attr:`person` (with the birth date as a date again) and
    :attr:`household` build a fresh dict on each access, so a caller that changes one keeps it
    in a variable.
    """

    __slots__ = ()

    row: int = property(itemgetter(0))  # type: ignore[assignment]
    nik: str = property(itemgetter(1))  # type: ignore[assignment]
    kk: str = property(itemgetter(2))  # type: ignore[assignment]
    relationship: int = property(itemgetter(3))  # type: ignore[assignment]
    ppks_person: tuple[int, ...] = property(itemgetter(8))  # type: ignore[assignment]
    ppks_household: tuple[int, ...] = property(itemgetter(9))  # type: ignore[assignment]

    @classmethod
    def of(
        cls,
        row: int,
        nik: str,
        kk: str,
        person: dict[str, Any],
        household: dict[str, Any],
        ppks_person: tuple[int, ...] = (),
        ppks_household: tuple[int, ...] = (),
    ) -> RowRecord:
        birth_date = person.get("birth_date")
        if birth_date is not None:
            person["birth_date"] = birth_date.toordinal()
        return cls(
            (
                row,
                nik,
                kk,
                person["relationship"],
                _shared_keys(tuple(person)),
                tuple(person.values()),
                _shared_keys(tuple(household)),
                tuple(household.values()),
                ppks_person,
                ppks_household,
            )
        )

    @property
    def person(self) -> dict[str, Any]:
        values = dict(zip(self[4], self[5], strict=True))
        if values.get("birth_date") is not None:
            values["birth_date"] = date.fromordinal(values["birth_date"])
        return values

    @property
    def household(self) -> dict[str, Any]:
        return dict(zip(self[6], self[7], strict=True))


_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    return _KEYS.setdefault(keys, keys)


#: The marshal format of :func:`pack_chunk` (the parser and the writer are one program version).
_MARSHAL_VERSION = 4


def pack_chunk(items: list[tuple[int, Any]]) -> bytes:
    """Parsed rows as bytes for the writer process. ``marshal`` writes plain tuples of plain
    values about three times as fast as pickle writes these rows (pickle reduces each record
    through its class), and keys shared by many rows are written once."""
    return marshal.dumps(
        [(n, tuple(r)) if type(r) is RowRecord else (n, r) for n, r in items], _MARSHAL_VERSION
    )


def unpack_chunk(data: bytes) -> list[tuple[int, Any]]:
    """The rows of :func:`pack_chunk` again, each record a :class:`RowRecord`."""
    rows = marshal.loads(data)  # noqa: S302 - written by this import's own parser process
    return [(n, RowRecord(r)) if type(r) is tuple else (n, r) for n, r in rows]


def birth_date_text(day: int | None) -> str | None:
    """A record's birth date (its day number) as ``YYYY-MM-DD``, as both databases take it."""
    return None if day is None else _iso_date(day)


@functools.lru_cache(maxsize=65_536)  # a million people share some tens of thousands of dates
def _iso_date(day: int) -> str:
    return date.fromordinal(day).isoformat()


# One problem: (column as the user sees it, the cell's value shortened, the reason).
Issue = tuple[str, str, str]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def shown(value: Any) -> str:
    """A cell for the report: one line, at most 60 characters."""
    text = " ".join(cell_text(value).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def masked_number(value: Any) -> str:
    text = normalise_number(cell_text(value))
    if len(text) == 16 and text.isdigit():
        return text[:4] + "*" * 8 + text[12:]
    return shown(value)
