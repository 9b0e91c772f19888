"""A batch's plan and how a row's fields become the columns that are compared and stored."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from pandu.registry import choices as c

from ..models import ImportBatch
from ..rows import Issue, RowRecord


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
    # (household target, businesses as (kind, sector, workers, turnover) tuples) to replace.
    businesses: list[tuple[str, tuple]] = field(default_factory=list)  # (kk, businesses)
    # (kk, the breadwinner's NIK, the person id when already registered).
    breadwinners: list[tuple[str, str, int | None]] = field(default_factory=list)


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
#: Logged masked: financial data never enters the change log in full.
_MASKED = {"bank_account"}


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


#: Columns held as JSON: a file gives them as JSON text, the database as text or as values.
JSON_COLUMNS = {"assets", "cards", "livestock"}


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        value = json.loads(value) if value else None
    if isinstance(value, list):
        return sorted(value) or None
    return value or None


#: What a household column no row of the family fills holds (the column takes no NULL).
EMPTY_HOUSEHOLD = {
    "assets": "[]",
    "cards": "[]",
    "livestock": "{}",
    "desil_source": "",
    "desil_reference": "",
}


def _differs(old: Any, new: Any, name: str = "") -> bool:
    if name in JSON_COLUMNS:
        return _json_value(old) != _json_value(new)
    if old is None or new is None:
        return old is not new and not (old in ("", None) and new in ("", None))
    if isinstance(new, date) and not isinstance(old, date):
        return str(old) != new.isoformat()
    if isinstance(old, date) and isinstance(new, str):
        return old.isoformat() != new
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
