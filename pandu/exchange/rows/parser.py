"""The row parser: one file row to a checked record, with its problems by row and column."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pandu.regions.queries import district_exists
from pandu.registry import choices as c
from pandu.registry.models import MAX_LIVESTOCK, MAX_RUPIAH, MAX_WORKERS
from pandu.registry.names import search_key
from pandu.registry.nik import check_kk, check_nik, nik_date_digits, nik_district, normalise_number
from pandu.registry.validation import (
    check_head,
    check_pregnancy,
    clean_bank_account,
    clean_birth_date,
    clean_name,
    clean_phone,
    is_masked,
    quality_flags,
)

from ..layout import (
    FIELD_BY_NAME,
    HOUSEHOLD,
    HOUSEHOLD_OPTIONAL,
    PERSON,
    PERSON_OPTIONAL,
    normalise_header,
)
from ..readers import cell_text
from .codes import (
    FALSE_WORDS,
    MARITAL_WORDS,
    RELATIONSHIP_WORDS,
    SEX_WORDS,
    TRUE_WORDS,
    _code_table,
    _int_text,
)
from .records import (
    _CACHE_LIMIT,
    EXCEL_EPOCH,
    FORMULA_START,
    Category,
    Issue,
    RowRecord,
    column_letter,
    masked_number,
    shown,
)


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


class RowParser:
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

    # -- fields (each returns (value, problem); cached per raw cell) ---------------------------

    def _kk(self, raw: Any) -> tuple[str, str]:
        if type(raw) is not str:
            return "", self.messages["kk_number"]
        result = check_kk(raw, known_district=district_exists)
        if result.errors:
            return "", " ".join(i.message for i in result.errors)
        return result.value, ""

    def _name(self, raw: Any) -> tuple[tuple[str, str] | None, str]:
        value = _unescape(cell_text(raw))
        if value.lstrip().startswith(FORMULA_START):
            return None, self.messages["formula"]
        try:
            name = clean_name(value)
        except ValidationError as exc:
            return None, " ".join(exc.messages)
        return (name, search_key(name)), ""

    def _sex(self, raw: Any) -> tuple[str | None, str]:
        text = cell_text(raw)
        sex = SEX_WORDS.get(normalise_header(text))
        if sex is None:
            return None, self.messages["sex"] if text.strip() else self.messages["sex_empty"]
        return sex, ""

    def _relationship(self, raw: Any) -> tuple[int | None, str]:
        value = self.codes["relationship"].get(normalise_header(cell_text(raw)))
        return value, "" if value is not None else self.messages["relationship"]

    def _marital(self, raw: Any) -> tuple[int | None, str]:
        value = self.codes["marital_status"].get(normalise_header(cell_text(raw)))
        return value, "" if value is not None else self.messages["marital"]

    def _text(self, raw: Any, max_length: int, label: str) -> tuple[str, str]:
        value = " ".join(_unescape(cell_text(raw)).split())
        if value == "-":
            return "", ""
        if value.startswith(FORMULA_START):
            return "", self.messages["formula"]
        if len(value) > max_length:
            return "", self.messages["too_long"] % {
                "label": label,
                "n": len(value),
                "max": max_length,
            }
        if any(ch in value for ch in "<>{}") or (
            not value.isprintable() and any(ord(ch) < 32 or ord(ch) == 127 for ch in value)
        ):
            return "", self.messages["bad_chars"] % {"label": label}
        return value, ""

    def _date(self, raw: Any) -> tuple[date | None, str]:
        value, problem = self._parse_date(raw)
        if value is not None:
            try:
                clean_birth_date(value, today=self.today)
            except ValidationError as exc:
                return None, " ".join(exc.messages)
        return value, problem

    def _parse_date(self, raw: Any) -> tuple[date | None, str]:
        bad = self.messages["date"]
        if isinstance(raw, datetime):
            return raw.date(), ""
        if isinstance(raw, date):
            return raw, ""
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return _excel_serial(raw, bad)
        text = str(raw).strip()
        if not text:
            return None, self.messages["date_empty"]
        if " " in text:  # "1985-07-05 00:00:00" from a spreadsheet's date-time
            text = text.split(" ", 1)[0]
        parts = None
        for sep in ("-", "/", "."):
            if sep in text:
                parts = text.split(sep)
                break
        if parts is None:
            if text.isdigit() and len(text) <= 6:
                return _excel_serial(int(text), bad)
            return None, bad
        if len(parts) == 2 and sep == "." and all(p.isdigit() for p in parts):
            return _excel_serial(float(text), bad)  # "29345.0"
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            return None, bad
        if len(parts[0]) == 4:
            y, m, d = parts
        elif len(parts[2]) == 4:
            d, m, y = parts
        else:
            return None, self.messages["year2"]
        try:
            return date(int(y), int(m), int(d)), ""
        except ValueError:
            return None, self.messages["no_such_date"] % {"value": text}

    def _village_code(self, text: str) -> str:
        text = normalise_number(text)
        if len(text) == 10 and text.isdigit():
            return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
        return text

    def _village(self, raw: Any) -> tuple[str, str]:
        code = self._village_code(cell_text(raw))
        if not code:
            return "", self.messages["village_empty"]
        if code not in self.villages:
            if len(code) in (2, 5, 8):
                return "", self.messages["village_level"] % {"code": code}
            return "", self.messages["village_unknown"] % {"code": shown(code)}
        if self.scope and not code.startswith(self.scope):
            return "", self.messages["village_outside"] % {"code": code, "scope": self.scope}
        return code, ""

    def _rt_rw(self, raw: Any) -> int | None:
        text = cell_text(raw).strip().upper()
        for prefix in ("RT", "RW"):
            if text.startswith(prefix):
                text = text[2:].lstrip(" .:")
        number = _int_text(text)
        if number is not None and not 0 <= number <= 999:
            return None
        return number

    def _rt_rw_value(self, raw: Any, key: str) -> tuple[int | None, str]:
        number = self._rt_rw(raw)
        if number is None:
            return None, self.messages[key]
        return number, ""

    def _optional(self, name: str, raw: Any) -> tuple[Any, str]:
        field = FIELD_BY_NAME[name]
        text = cell_text(raw).strip()
        kind = field.kind
        label = self.field_labels[name]
        if kind == "code":
            if not text:
                default = {"disability_type": 0, "disability_severity": 0, "chronic_illness": 0}
                return default.get(name), ""
            value = self.codes[name].get(normalise_header(text))
            if value is None:
                allowed = ", ".join(str(v) for v in getattr(c, field.choices).values)
                return None, self.messages["code"] % {
                    "label": label,
                    "value": shown(text),
                    "allowed": allowed,
                }
            return value, ""
        if kind in ("bool", "nullbool", "bool_default_true", "breadwinner"):
            if not text:
                defaults = {"bool": False, "nullbool": None, "bool_default_true": True}
                return defaults.get(kind, False), ""
            word = normalise_header(text)
            if word in TRUE_WORDS:
                return True, ""
            if word in FALSE_WORDS:
                return False, ""
            return None, self.messages["bool"] % {"label": label}
        if kind == "int":
            if not text:
                return None, ""
            number = _int_text(text)
            low, limit = field.min_value, field.max_value or 50
            if number is None or not low <= number <= limit:
                return None, self.messages["int_range"] % {
                    "label": label,
                    "min": low,
                    "max": f"{limit:,}".replace(",", "."),
                }
            return number, ""
        if kind == "money":
            if not text:
                return None, ""
            number = _money(text)
            if number is None or number > MAX_RUPIAH:
                return None, self.messages["money"] % {"label": label}
            return number, ""
        if kind == "day":
            if not text and not isinstance(raw, date | int | float):
                return None, ""
            day, _problem = self._parse_date(raw)
            if day is None:
                return None, self.messages["day"] % {"label": label}
            return day.isoformat(), ""
        if kind == "codes":
            return self._code_set(name, text, label)
        if kind == "counts":
            return self._counts(name, text, label)
        if kind == "phone":
            try:
                return clean_phone(text), ""
            except ValidationError as exc:
                return "", " ".join(exc.messages)
        if kind == "account":
            if is_masked(text):
                return None, ""  # a masked export: keep the stored number
            try:
                return clean_bank_account(text), ""
            except ValidationError as exc:
                return "", " ".join(exc.messages)
        if kind == "text":
            return self._text(raw, field.max_length, label)
        raise AssertionError(name)  # pragma: no cover

    def _parts(self, text: str) -> list[str]:
        return [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]

    def _code_set(self, name: str, text: str, label: str) -> tuple[str, str]:
        """``tv;motorcycle`` (codes or labels) → the codes as a JSON list, in choice order."""
        table: dict[str, Any] = self.codes[name]
        found: set[Any] = set()
        for part in self._parts(text):
            value = table.get(normalise_header(part))
            if value is None:
                return "[]", self.messages["codes"] % {
                    "label": label,
                    "value": shown(part),
                    "allowed": ", ".join(getattr(c, FIELD_BY_NAME[name].choices).values),
                }
            found.add(value)
        order = getattr(c, FIELD_BY_NAME[name].choices).values
        return json.dumps([v for v in order if v in found]), ""

    def _counts(self, name: str, text: str, label: str) -> tuple[str, str]:
        """``sapi=2;unggas=10`` → ``{"sapi": 2, "unggas": 10}`` as JSON."""
        table: dict[str, Any] = self.codes[name]
        found: dict[Any, int] = {}
        for part in self._parts(text):
            kind, sep, number_text = part.replace(":", "=").partition("=")
            value = table.get(normalise_header(kind))
            number = _int_text(number_text) if sep else None
            if value is None or number is None or number > MAX_LIVESTOCK:
                return "{}", self.messages["counts"] % {
                    "label": label,
                    "value": shown(part),
                    "allowed": ", ".join(getattr(c, FIELD_BY_NAME[name].choices).values),
                }
            found[value] = found.get(value, 0) + number
        order = getattr(c, FIELD_BY_NAME[name].choices).values
        return json.dumps({v: found[v] for v in order if v in found}), ""

    def _businesses(self, raw: Any) -> tuple[tuple[tuple[int, int, int, int | None], ...], str]:
        """``1/8/2/1500000;3/1/5/`` → ((kind, sector, workers, turnover or None), ...)."""
        text = cell_text(raw).strip()
        found: list[tuple[int, int, int, int | None]] = []
        for part in [p.strip() for p in text.split(";") if p.strip()]:
            pieces = [p.strip() for p in part.split("/")]
            if len(pieces) == 3:
                pieces.append("")
            bad = self.messages["business"] % {"value": shown(part)}
            if len(pieces) != 4:
                return (), bad
            kind = self.codes["business_kind"].get(normalise_header(pieces[0]))
            sector = self.codes["business_sector"].get(normalise_header(pieces[1]))
            workers = _int_text(pieces[2]) if pieces[2] else 0
            turnover = _money(pieces[3]) if pieces[3] else None
            if (
                kind is None
                or sector is None
                or workers is None
                or workers > MAX_WORKERS
                or (pieces[3] and (turnover is None or turnover > MAX_RUPIAH))
            ):
                return (), bad
            found.append((kind, sector, workers, turnover))
        if len(found) > 20:
            return (), self.messages["business_many"]
        return tuple(found), ""

    def _ppks_numbers(self, raw: Any) -> tuple[tuple[int, ...], str]:
        text = cell_text(raw).strip()
        numbers: list[int] = []
        for part in text.replace(",", ";").replace("/", ";").replace(" ", ";").split(";"):
            part = part.strip()
            if not part:
                continue
            number = _int_text(part)
            if number is None or number not in self.categories:
                return (), self.messages["ppks_unknown"] % {"value": shown(part)}
            if number not in numbers:
                numbers.append(number)
        for number in numbers:
            cat = self.categories[number]
            if cat.sensitive and not self.can_sensitive:
                return (), self.messages["ppks_sensitive"] % {"number": number, "name": cat.name}
        return tuple(numbers), ""

    def _ppks_rules(
        self, numbers: tuple[int, ...], birth_date: date | None, sex: str | None
    ) -> tuple[tuple[int, ...], tuple[int, ...], str]:
        person: list[int] = []
        household: list[int] = []
        age = None
        if birth_date is not None:
            t = self.today
            age = t.year - birth_date.year - ((t.month, t.day) < (birth_date.month, birth_date.day))
        for number in numbers:
            cat = self.categories[number]
            if cat.household_level:
                household.append(number)
                continue
            if age is not None and not cat.accepts_age(age):
                return (
                    (),
                    (),
                    self.messages["ppks_age"]
                    % {
                        "cat": cat.name,
                        "rule": cat.rule_text(),
                        "age": age,
                    },
                )
            if cat.sex and sex and cat.sex != sex:
                return (
                    (),
                    (),
                    self.messages["ppks_sex"]
                    % {
                        "cat": cat.name,
                        "sex": c.Sex(cat.sex).label.lower(),
                    },
                )
            person.append(number)
        return tuple(person), tuple(household), ""


def _messages() -> dict[str, str]:
    """Every message of the parser, translated once per import (not once per row)."""
    return {
        "unreadable": _("Baris ini tidak dapat dibaca sebagai CSV (tanda kutip rusak)."),
        "short": _(
            "Baris ini hanya berisi %(n)s kolom, padahal judul berisi %(m)s kolom: berkas "
            "terpotong atau ada kolom yang hilang."
        ),
        "long": _(
            "Baris ini berisi %(n)s kolom, lebih banyak dari judulnya (%(m)s kolom): mungkin ada "
            "pemisah kolom (koma/titik koma) di dalam isian yang tidak diberi tanda kutip."
        ),
        "nik_number": _(
            "NIK tersimpan sebagai angka di Excel, sehingga digit terakhirnya hilang (Excel hanya "
            "menyimpan 15 digit). Format kolom NIK sebagai Teks, lalu ketik ulang NIK dari KTP "
            "atau KK."
        ),
        "kk_number": _(
            "Nomor KK tersimpan sebagai angka di Excel, sehingga digit terakhirnya hilang (Excel "
            "hanya menyimpan 15 digit). Format kolom Nomor KK sebagai Teks, lalu ketik ulang "
            "nomornya dari kartu KK."
        ),
        "formula": _(
            "Isian diawali =, +, - atau @ sehingga terbaca sebagai rumus spreadsheet, bukan "
            "teks; isian seperti ini tidak diterima."
        ),
        "sex": _("Jenis kelamin harus L (laki-laki) atau P (perempuan)."),
        "sex_empty": _("Jenis kelamin wajib diisi (L atau P)."),
        "relationship": _(
            "Hubungan dengan kepala keluarga harus kode 1–8 atau kata seperti “Kepala "
            "Keluarga”, “Istri”, “Anak”, “Menantu”, "
            "“Cucu”, “Orang Tua”, “Pembantu”, “Lainnya”."
        ),
        "marital": _(
            "Status perkawinan harus kode 1–4 (1 belum kawin, 2 kawin, 3 cerai hidup, 4 "
            "cerai mati) atau kata tersebut."
        ),
        "pregnant": _("Status hamil hanya untuk perempuan."),
        "too_long": _("%(label)s terlalu panjang (%(n)s karakter, paling banyak %(max)s)."),
        "bad_chars": _(
            "%(label)s berisi karakter yang tidak diizinkan (< > { } atau kode kontrol)."
        ),
        "date": _(
            "Tanggal lahir tidak dapat dibaca. Gunakan HH-BB-TTTT (misalnya 05-07-1985), "
            "HH/BB/TTTT, TTTT-BB-HH, atau format tanggal Excel."
        ),
        "date_empty": _("Tanggal lahir wajib diisi."),
        "year2": _("Tahun lahir harus ditulis 4 digit (misalnya 05-07-1985), bukan 2 digit."),
        "no_such_date": _("Tanggal lahir %(value)s tidak ada di kalender."),
        "village_empty": _("Kode desa/kelurahan wajib diisi (misalnya 73.09.13.2001)."),
        "village_level": _(
            "%(code)s adalah kode provinsi/kabupaten/kecamatan; isi kode desa/kelurahan (10 digit)."
        ),
        "village_unknown": _(
            "Kode desa/kelurahan %(code)s tidak dikenal. Gunakan kode Kemendagri, misalnya "
            "73.09.13.2001."
        ),
        "village_outside": _(
            "Desa/kelurahan %(code)s berada di luar wilayah kerja Anda (%(scope)s); baris ini "
            "tidak boleh diimpor oleh akun Anda."
        ),
        "rt": _("RT harus angka 0–999."),
        "rw": _("RW harus angka 0–999."),
        "code": _("%(label)s: kode %(value)s tidak dikenal (pilihan: %(allowed)s)."),
        "bool": _("%(label)s harus 1/0 atau Ya/Tidak."),
        "int_range": _("%(label)s harus bilangan bulat %(min)s–%(max)s."),
        "money": _(
            "%(label)s harus jumlah rupiah tanpa desimal (misalnya 1500000 atau 1.500.000)."
        ),
        "day": _(
            "%(label)s tidak dapat dibaca sebagai tanggal. Gunakan HH-BB-TTTT (misalnya "
            "05-07-2024), TTTT-BB-HH, atau format tanggal Excel."
        ),
        "codes": _(
            "%(label)s: kode %(value)s tidak dikenal (pilihan, dipisah titik koma: %(allowed)s)."
        ),
        "counts": _(
            "%(label)s: %(value)s tidak terbaca; tulis jenis=jumlah dipisah titik koma, misalnya "
            "sapi=2;unggas=10 (jenis: %(allowed)s)."
        ),
        "business": _(
            "Usaha %(value)s tidak terbaca; tulis bentuk/lapangan usaha/jumlah pekerja/omzet per "
            "bulan dengan kode, dipisah titik koma, misalnya 1/8/2/1500000 (bentuk 1–4, lapangan "
            "usaha 0–11)."
        ),
        "business_many": _("Paling banyak 20 usaha per keluarga."),
        "ppks_unknown": _(
            "PPKS harus nomor kategori 1–26 dipisah titik koma (misalnya 9;24); %(value)s "
            "tidak dikenal."
        ),
        "ppks_sensitive": _(
            "PPKS %(number)s (%(name)s) termasuk data sensitif dan hanya dapat dicatat oleh "
            "petugas yang berwenang."
        ),
        "ppks_age": _("%(cat)s berlaku untuk usia %(rule)s tahun; usia orang ini %(age)s tahun."),
        "ppks_sex": _("%(cat)s hanya berlaku untuk %(sex)s."),
    }


def _money(text: str) -> int | None:
    """Whole rupiah: ``1500000``, ``1.500.000``, ``Rp 1.500.000`` or Excel's ``1500000.0``."""
    text = text.strip()
    if text[:2].lower() == "rp":
        text = text[2:].strip().lstrip(".").strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.endswith(",00"):
        text = text[:-3]
    text = text.replace(".", "").replace(" ", "")
    return int(text) if text.isdigit() and text.isascii() else None


def _unescape(text: str) -> str:
    """Undo the export's protection against formulas: ``'=...`` was written for ``=...``."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _excel_serial(value: float, bad: str) -> tuple[date | None, str]:
    if value != value or value < 61 or value > 2958465:  # NaN, before March 1900, after 9999
        return None, bad
    return EXCEL_EPOCH + timedelta(days=int(value)), ""
