"""The row parser's checks of one field each: ``(value, problem)``, cached per raw cell."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError

from pandu.regions.queries import district_exists
from pandu.registry import choices as c
from pandu.registry.models import MAX_LIVESTOCK, MAX_RUPIAH, MAX_WORKERS
from pandu.registry.names import search_key
from pandu.registry.nik import check_kk, normalise_number
from pandu.registry.validation import (
    clean_bank_account,
    clean_birth_date,
    clean_name,
    clean_phone,
    is_masked,
)

from ...layout import (
    FIELD_BY_NAME,
    normalise_header,
)
from ...readers import cell_text
from ..codes import (
    FALSE_WORDS,
    SEX_WORDS,
    TRUE_WORDS,
    _int_text,
)
from ..records import (
    FORMULA_START,
    Category,
    shown,
)
from .messages import _excel_serial, _money, _unescape


class FieldChecks:
    """The per-field checks of :class:`~.row.RowParser` (which sets these attributes)."""

    messages: dict[str, str]
    codes: dict[str, Any]
    scope: str
    categories: dict[int, Category]
    today: date
    villages: frozenset[str] | set[str]
    field_labels: dict[str, str]
    can_sensitive: bool

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
