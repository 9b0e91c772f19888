"""The row parser: one file row to a checked record, with its problems by row and column
(the per-field checks are in ``fields``, the messages in ``messages``)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from pandu.regions.queries import district_exists
from pandu.registry.nik import check_nik, nik_date_digits, nik_district, normalise_number
from pandu.registry.validation import (
    check_head,
    check_pregnancy,
    quality_flags,
)

from ...layout import (
    FIELD_BY_NAME,
    HOUSEHOLD,
    HOUSEHOLD_OPTIONAL,
    PERSON,
    PERSON_OPTIONAL,
)
from ...readers import cell_text
from ..codes import (
    MARITAL_WORDS,
    RELATIONSHIP_WORDS,
    _code_table,
)
from ..records import (
    _CACHE_LIMIT,
    Category,
    Issue,
    RowRecord,
    column_letter,
    masked_number,
    shown,
)
from .fields import FieldChecks
from .messages import _messages


def _cached(cache: dict, fn: Callable[[Any], tuple[Any, str]], raw: Any) -> tuple[Any, str]:
    try:
        return cache[raw]
    except KeyError:
        pass
    except TypeError:  # pragma: no cover - cells are str, numbers or dates, all hashable
        return fn(raw)
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    result = cache[raw] = fn(raw)
    return result


class RowParser(FieldChecks):
    """Validates rows of one file for one importing user. Create once per import.

    Every cell except the NIK (whose check depends on the row's birth date and sex) goes through
    a per-column cache keyed by the raw cell: a million rows hold a few thousand distinct
    birth dates, places, codes and village codes.
    """

    def __init__(
        self,
        *,
        headers: list[str],
        mapping: dict[str, int],
        villages: frozenset[str] | set[str],
        scope: str,
        categories: dict[int, Category],
        can_sensitive: bool,
        today: date | None = None,
    ) -> None:
        self.mapping = dict(mapping)
        self.width = len(headers)
        self.needed = max(self.mapping.values()) + 1 if self.mapping else 0
        self.labels = {
            name: f"{headers[i] if i < len(headers) else ''} ({column_letter(i)})".strip()
            for name, i in self.mapping.items()
        }
        self.villages = villages
        self.scope = scope
        self.categories = categories
        self.can_sensitive = can_sensitive
        self.today = today or date.today()
        self.person_optional = [f for f in PERSON_OPTIONAL if f in self.mapping]
        self.household_optional = [f for f in HOUSEHOLD_OPTIONAL if f in self.mapping]
        self.codes = {
            name: _code_table(FIELD_BY_NAME[name].choices)
            for name in self.person_optional + self.household_optional
            if FIELD_BY_NAME[name].kind in ("code", "codes", "counts")
        }
        self.codes["business_kind"] = _code_table("BusinessKind")
        self.codes["business_sector"] = _code_table("WorkSector")
        self.codes["relationship"] = _code_table("Relationship", RELATIONSHIP_WORDS)
        self.codes["marital_status"] = _code_table("MaritalStatus", MARITAL_WORDS)
        self.field_labels = {f.name: str(f.label) for f in FIELD_BY_NAME.values()}
        self.messages = _messages()
        # Columns read through a cache: (field, column index, cache, converter, is household).
        simple = ["full_name", "sex", "birth_date", "birth_place", "relationship",
                  "marital_status", "village_code", "rt", "rw", "address"]  # fmt: skip
        converters: dict[str, Callable[[Any], tuple[Any, str]]] = {
            "full_name": self._name,
            "sex": self._sex,
            "birth_date": self._date,
            "birth_place": lambda raw: self._text(raw, 100, self.field_labels["birth_place"]),
            "relationship": self._relationship,
            "marital_status": self._marital,
            "village_code": self._village,
            "rt": lambda raw: self._rt_rw_value(raw, "rt"),
            "rw": lambda raw: self._rt_rw_value(raw, "rw"),
            "address": lambda raw: self._text(raw, 200, self.field_labels["address"]),
        }
        for name in self.person_optional + self.household_optional:
            converters[name] = functools.partial(self._optional, name)
        # Columns that are not one table column: the businesses (on any one row of the
        # family) and the breadwinner flag (on the breadwinner's own row).
        if "businesses" in self.mapping:
            converters["businesses"] = self._businesses
            self.household_optional = [*self.household_optional, "businesses"]
        self.breadwinner_index = self.mapping.get("breadwinner")
        self._breadwinner_cache: dict[Any, tuple[Any, str]] = {}
        Plan = list[tuple[str, int, dict, Callable[[Any], tuple[Any, str]]]]
        self.person_plan: Plan = [
            (name, self.mapping[name], {}, converters[name])
            for name in simple + self.person_optional
            if FIELD_BY_NAME[name].level == PERSON
        ]
        self.household_plan: Plan = [
            (name, self.mapping[name], {}, converters[name])
            for name in simple
            if FIELD_BY_NAME[name].level == HOUSEHOLD
        ]
        self.household_optional_plan: Plan = [
            (name, self.mapping[name], {}, converters[name]) for name in self.household_optional
        ]
        if self.breadwinner_index is not None:
            # Checked across a family's rows like a household column: one breadwinner each.
            self.household_optional = [*self.household_optional, "breadwinner"]
        self.nik_index = self.mapping["nik"]
        self.kk_index = self.mapping["kk_number"]
        self.ppks_index = self.mapping.get("ppks")
        self._kks: dict[Any, tuple[str, str]] = {}
        # NIK region digits → whether they name a district in the area list (this import's).
        self._districts: dict[str, bool] = {}
        self._ppks_cache: dict[Any, tuple[tuple[int, ...], str]] = {}
        # Pass 1 reads four more cells of every row: (column index or None, cache, converter).
        self._scan_plan: list[tuple[int | None, dict, Callable[[Any], tuple[Any, str]]]] = [
            (self.mapping.get("village_code"), {}, self._village_key),
            (self.mapping.get("rt"), {}, self._rt_rw_key),
            (self.mapping.get("rw"), {}, self._rt_rw_key),
            (self.mapping.get("relationship"), {}, self._relationship),
        ]

    # -- helpers ------------------------------------------------------------------------------

    def cell(self, cells: list[Any], name: str) -> Any:
        index = self.mapping.get(name)
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        return "" if value is None else value

    @staticmethod
    def is_empty(cells: list[Any] | None) -> bool:
        if cells is None:
            return False
        for value in cells:
            if value is None:
                continue
            if type(value) is str:
                if value and not value.isspace():
                    return False
            else:
                return False
        return True

    # -- pass 1: what the whole file must agree on --------------------------------------------

    def scan_key(self, cells: list[Any]) -> tuple[str, str, tuple, bool]:
        """(NIK, KK, household address signature, is head) as far as they can be read."""
        n = len(cells)
        nik = cells[self.nik_index] if self.nik_index < n else ""
        nik = normalise_number(nik) if type(nik) is str else ""
        kk = cells[self.kk_index] if self.kk_index < n else ""
        kk = normalise_number(kk) if type(kk) is str else ""
        found = []
        for index, cache, fn in self._scan_plan:
            raw = cells[index] if index is not None and index < n else ""
            if raw is None:
                raw = ""
            try:
                found.append(cache[raw][0])
            except KeyError:
                found.append(_cached(cache, fn, raw)[0])
        village, rt, rw, rel = found
        return nik, kk, (village, rt, rw), rel == 1

    def _rt_rw_key(self, raw: Any) -> tuple[int | None, str]:
        return self._rt_rw(raw), ""

    def _village_key(self, raw: Any) -> tuple[str, str]:
        return self._village_code(cell_text(raw)), ""

    # -- pass 2: the whole row ----------------------------------------------------------------

    def parse(self, row_no: int, cells: list[Any] | None) -> RowRecord | list[Issue]:
        if cells is None:
            return [("", "", self.messages["unreadable"])]
        n = len(cells)
        if n < self.needed:
            return [("", "", self.messages["short"] % {"n": n, "m": self.width})]
        if n > self.width and any(cell_text(v).strip() for v in cells[self.width :]):
            return [("", "", self.messages["long"] % {"n": n, "m": self.width})]
        issues: list[Issue] = []
        labels = self.labels

        kk_raw = cells[self.kk_index]
        kk, problem = _cached(self._kks, self._kk, kk_raw)
        if problem:
            issues.append((labels["kk_number"], masked_number(kk_raw), problem))

        person: dict[str, Any] = {}
        for name, index, cache, fn in self.person_plan:
            raw = cells[index]
            try:
                value, problem = cache[raw]
            except KeyError:
                value, problem = _cached(cache, fn, raw)
            if problem:
                issues.append((labels[name], shown(raw), problem))
            person[name] = value
        household: dict[str, Any] = {}
        for name, index, cache, fn in self.household_plan:
            raw = cells[index]
            try:
                value, problem = cache[raw]
            except KeyError:
                value, problem = _cached(cache, fn, raw)
            if problem:
                issues.append((labels[name], shown(raw), problem))
            household[name] = value
        for name, index, cache, fn in self.household_optional_plan:
            raw = cells[index]
            if raw is None or (type(raw) is str and not raw.strip()):
                continue  # given on another row of the family, or not at all
            value, problem = _cached(cache, fn, raw)
            if problem:
                issues.append((labels[name], shown(raw), problem))
            household[name] = value
        household["village_id"] = household.pop("village_code")
        name_value = person.pop("full_name")
        person["full_name"], person["name_key"] = name_value if name_value else ("", "")

        birth_date = person["birth_date"]
        sex = person["sex"]
        nik_raw = cells[self.nik_index]
        nik = ""
        flags = "[]"
        flagged = False
        if type(nik_raw) is not str:
            issues.append((labels["nik"], shown(nik_raw), self.messages["nik_number"]))
        elif self._nik_agrees(nik_raw, birth_date, sex):
            nik = nik_raw  # what check_nik would find: sound, in a known district, no flags
        else:
            result = check_nik(
                nik_raw, birth_date=birth_date, sex=sex, known_district=district_exists
            )
            if result.errors:
                issues.append(
                    (
                        labels["nik"],
                        masked_number(nik_raw),
                        " ".join(i.message for i in result.errors),
                    )
                )
            else:
                nik = result.value
                if result.flags or result.warnings:
                    codes = quality_flags(result)
                    flags = json.dumps(codes)
                    flagged = bool(codes)
        person["quality_flags"] = flags
        person["flagged"] = flagged

        if self.breadwinner_index is not None:
            raw = cells[self.breadwinner_index]
            flag, problem = _cached(
                self._breadwinner_cache, functools.partial(self._optional, "breadwinner"), raw
            )
            if problem:
                issues.append((labels["breadwinner"], shown(raw), problem))
            elif flag:
                household["breadwinner"] = nik

        rel = person["relationship"]
        if person.get("pregnant") or person.get("pregnancy_months") or person.get("due_date"):
            due = person.get("due_date")
            for name, problem in check_pregnancy(
                sex,
                person.get("pregnant"),
                person.get("pregnancy_months"),
                date.fromisoformat(due) if due else None,
                today=self.today,
            ).items():
                issues.append((labels.get(name, name), shown(cells[self.mapping[name]]), problem))
        if rel == 1 and birth_date is not None and person["marital_status"] is not None:
            try:
                check_head(
                    rel,
                    birth_date,
                    person["marital_status"],
                    person.get("head_reason") or "",
                    today=self.today,
                )
            except ValidationError as exc:
                issues.append(
                    (
                        labels["relationship"],
                        shown(cells[self.mapping["relationship"]]),
                        " ".join(exc.messages),
                    )
                )

        ppks_person: tuple[int, ...] = ()
        ppks_household: tuple[int, ...] = ()
        if self.ppks_index is not None:
            raw = cells[self.ppks_index]
            if raw is not None and raw != "":
                numbers, problem = _cached(self._ppks_cache, self._ppks_numbers, raw)
                if not problem and numbers:
                    ppks_person, ppks_household, problem = self._ppks_rules(
                        numbers, birth_date, sex
                    )
                if problem:
                    issues.append((labels["ppks"], shown(raw), problem))

        if issues:
            return issues
        return RowRecord.of(row_no, nik, kk, person, household, ppks_person, ppks_household)

    def _nik_agrees(self, raw: str, birth_date: date | None, sex: str | None) -> bool:
        """True when ``raw`` is 16 digits of a known district whose date digits are the row's
        birth date and sex and whose serial is not 0000: then :func:`check_nik` would find it
        valid with no warning and no flag, and is not run. Most rows of a sound file are so."""
        if (
            birth_date is None
            or len(raw) != 16
            or not (raw.isdigit() and raw.isascii())
            or raw[6:12] != nik_date_digits(birth_date, sex)
            or raw[12:] == "0000"
        ):
            return False
        prefix = raw[:6]
        known = self._districts.get(prefix)
        if known is None:
            district = nik_district(prefix)
            known = self._districts[prefix] = district is not None and district_exists(district)
        return known
