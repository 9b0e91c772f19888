"""NIK and KK numbers: structural checks of the 16-digit population and family-card numbers.

NIK (Nomor Induk Kependudukan) is the personal population number, KK (Kartu Keluarga) the
family-card number. Both are 16 digits ``PP RR SS DDMMYY NNNN``:

* ``PP RR SS`` — province, regency/city and district where the number was first registered
  (province 11–99, regency 01–99, district 01–99; ``00`` never occurs).
* ``DDMMYY`` — for a NIK the birth date, with 40 added to the day for women (41–71); for a KK
  the date the card was issued (no +40).
* ``NNNN`` — serial number 0001–9999.

There is no checksum, so these checks catch typing and spreadsheet accidents, not forgeries.

Severity levels, kept apart on purpose:

* ``errors``: the number cannot be right (wrong length, not a date, serial 0000, a value that a
  spreadsheet turned into ``3.57301E+15`` and so lost digits). ``NikResult.valid`` is False.
* ``warnings``: the region prefix is not in the current area list. New provinces and regency
  splits make this legitimate, so the number is still valid.
* ``flags``: the number is well formed but disagrees with the recorded birth date or sex. A
  data-quality question for a human, never a reason to reject.

The two-digit year is ambiguous. For a NIK, ``birth_date`` uses 20YY when that date is not after
``today`` and 19YY otherwise, which is only a best guess: store the real birth date separately.
A KK's six date digits are its issue date (no +40); the same rule picks the century, since
family cards converted from older registers carry issue dates before 2000.

Messages are translated to the active language when the check runs (``Issue.message`` is a plain
``str``) and never contain the whole number, so they are safe to show and to keep in import reports.
The number itself must never be logged.

``check_nik`` runs once per row of a bulk import (a million rows), so the happy path avoids
regular expressions, ``strptime`` and translation, and uses tables built at import time.
"""

from __future__ import annotations

import datetime
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Issue",
    "NikResult",
    "check_kk",
    "check_nik",
    "nik_date_digits",
    "nik_district",
    "normalise_number",
]

NIK_LENGTH = 16


@dataclass(frozen=True)
class Issue:
    """One finding about a number; ``code`` is stable for programs, ``message`` is for people."""

    code: str
    message: str
    field: str = "nik"


@dataclass(frozen=True)
class NikResult:
    """Outcome of :func:`check_nik` or :func:`check_kk`.

    ``value`` is the normalised 16-digit string when there are no errors, ``''`` otherwise (use
    :func:`normalise_number` to keep a rejected raw value). Derived parts are filled whenever the
    digits they come from are sound, even if another part of the number is wrong. For a KK,
    ``birth_date`` holds the card's issue date and ``sex`` is None.
    """

    value: str
    errors: list[Issue]
    warnings: list[Issue]
    flags: list[Issue]
    sex: str | None
    birth_date: datetime.date | None
    district_code: str | None
    regency_code: str | None
    province_code: str | None

    @property
    def valid(self) -> bool:
        return not self.errors


# --- Messages -------------------------------------------------------------------------------
# One complete sentence per situation and per kind of number: translated fragments are never
# glued together, and "NIK" / "Nomor KK" are part of each sentence.

_NIK_MESSAGES: dict[str, Promise] = {
    "empty": _("NIK belum diisi. NIK harus 16 digit angka."),
    "length": _("NIK harus 16 digit angka, tetapi yang diisi %(count)s digit."),
    "length_chars": _("NIK harus 16 digit angka, tetapi yang diisi %(count)s karakter."),
    "not_digits": _(
        "NIK hanya boleh berisi angka, tetapi karakter ke-%(pos)s (“%(char)s”) bukan angka."
    ),
    "decimal": _(
        "NIK tertulis sebagai bilangan desimal (berakhiran “%(suffix)s”): NIK pernah "
        "disimpan sebagai angka sehingga digit terakhirnya bisa sudah berubah. Isi NIK sebagai "
        "teks 16 digit tanpa titik atau koma desimal."
    ),
    "scientific": _(
        "NIK tertulis dalam notasi ilmiah (seperti 3,57301E+15): spreadsheet seperti Excel "
        "mengubah NIK menjadi angka dan digit-digit terakhirnya hilang. Format kolom NIK "
        "sebagai Teks, lalu ketik ulang NIK dari KTP atau KK."
    ),
    "province": _("Digit ke-1 dan 2 NIK (kode provinsi) harus antara 11 dan 99."),
    "regency": _("Digit ke-3 dan 4 NIK (kode kabupaten/kota) tidak boleh 00."),
    "district": _("Digit ke-5 dan 6 NIK (kode kecamatan) tidak boleh 00."),
    "day": _(
        "Digit ke-7 sampai 12 NIK bukan tanggal lahir yang sah: tanggal %(day)s tidak mungkin "
        "(laki-laki 01–31, perempuan 41–71)."
    ),
    "month": _(
        "Digit ke-7 sampai 12 NIK bukan tanggal lahir yang sah: bulan %(month)s tidak ada "
        "(harus 01–12)."
    ),
    "date": _(
        "Digit ke-7 sampai 12 NIK bukan tanggal lahir yang sah: tanggal %(date)s tidak ada "
        "di kalender."
    ),
    "serial_zero": _("Digit ke-13 sampai 16 NIK (nomor urut) tidak boleh 0000."),
    "prefix_unknown": _(
        "Kode wilayah %(code)s pada NIK tidak ada dalam daftar wilayah saat ini (mungkin "
        "wilayah baru atau hasil pemekaran). Periksa kembali; NIK tetap dapat disimpan."
    ),
    "birth_date_mismatch": _(
        "Tanggal lahir pada NIK (%(nik_date)s) berbeda dengan tanggal lahir yang tercatat "
        "(%(recorded)s)."
    ),
    "sex_mismatch_p": _(
        "NIK menunjukkan perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin yang "
        "tercatat laki-laki."
    ),
    "sex_mismatch_l": _(
        "NIK menunjukkan laki-laki, tetapi jenis kelamin yang tercatat perempuan (pada NIK "
        "perempuan, tanggal lahir ditambah 40)."
    ),
}

_KK_MESSAGES: dict[str, Promise] = {
    "empty": _("Nomor KK belum diisi. Nomor KK harus 16 digit angka."),
    "length": _("Nomor KK harus 16 digit angka, tetapi yang diisi %(count)s digit."),
    "length_chars": _("Nomor KK harus 16 digit angka, tetapi yang diisi %(count)s karakter."),
    "not_digits": _(
        "Nomor KK hanya boleh berisi angka, tetapi karakter ke-%(pos)s (“%(char)s”) bukan angka."
    ),
    "decimal": _(
        "Nomor KK tertulis sebagai bilangan desimal (berakhiran “%(suffix)s”): nomor "
        "ini pernah disimpan sebagai angka sehingga digit terakhirnya bisa sudah berubah. Isi "
        "Nomor KK sebagai teks 16 digit tanpa titik atau koma desimal."
    ),
    "scientific": _(
        "Nomor KK tertulis dalam notasi ilmiah (seperti 3,57301E+15): spreadsheet seperti Excel "
        "mengubah nomor menjadi angka dan digit-digit terakhirnya hilang. Format kolom Nomor KK "
        "sebagai Teks, lalu ketik ulang nomornya dari kartu KK."
    ),
    "province": _("Digit ke-1 dan 2 Nomor KK (kode provinsi) harus antara 11 dan 99."),
    "regency": _("Digit ke-3 dan 4 Nomor KK (kode kabupaten/kota) tidak boleh 00."),
    "district": _("Digit ke-5 dan 6 Nomor KK (kode kecamatan) tidak boleh 00."),
    "day": _(
        "Digit ke-7 sampai 12 Nomor KK bukan tanggal terbit yang sah: tanggal %(day)s tidak "
        "mungkin (harus 01–31)."
    ),
    "month": _(
        "Digit ke-7 sampai 12 Nomor KK bukan tanggal terbit yang sah: bulan %(month)s tidak ada "
        "(harus 01–12)."
    ),
    "date": _(
        "Digit ke-7 sampai 12 Nomor KK bukan tanggal terbit yang sah: tanggal %(date)s tidak ada "
        "di kalender."
    ),
    "serial_zero": _("Digit ke-13 sampai 16 Nomor KK (nomor urut) tidak boleh 0000."),
    "prefix_unknown": _(
        "Kode wilayah %(code)s pada Nomor KK tidak ada dalam daftar wilayah saat ini (mungkin "
        "wilayah baru atau hasil pemekaran). Periksa kembali; Nomor KK tetap dapat disimpan."
    ),
}


# --- Tables built once ----------------------------------------------------------------------

_TWO_DIGITS = [f"{i:02d}" for i in range(100)]
_PROVINCES = frozenset(_TWO_DIGITS[11:])
_YEARS = {s: i for i, s in enumerate(_TWO_DIGITS)}
_MONTHS = {_TWO_DIGITS[m]: m for m in range(1, 13)}
# Longest month lengths; 29 February is checked against the year separately.
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Day digits → (day of month, sex).
_NIK_DAYS: dict[str, tuple[int, str | None]] = {}
_KK_DAYS: dict[str, tuple[int, str | None]] = {}
for _day in range(1, 32):
    _NIK_DAYS[_TWO_DIGITS[_day]] = (_day, "L")
    _NIK_DAYS[_TWO_DIGITS[_day + 40]] = (_day, "P")
    _KK_DAYS[_TWO_DIGITS[_day]] = (_day, None)
del _day

# Characters removed anywhere in the input: Unicode whitespace (incl. no-break and thin spaces)
# is removed with str.split(); these invisible format characters arrive by copy-and-paste.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

_SCIENTIFIC_RE = re.compile(r"[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_DECIMAL_RE = re.compile(r"([0-9]+)([.,][0-9]+)")

_SEX_ALIASES = {"L": "L", "P": "P"}


@dataclass(frozen=True)
class _Kind:
    field: str
    days: dict[str, tuple[int, str | None]]
    messages: dict[str, Promise]
    is_kk: bool


_NIK = _Kind("nik", _NIK_DAYS, _NIK_MESSAGES, is_kk=False)
_KK = _Kind("kk_number", _KK_DAYS, _KK_MESSAGES, is_kk=True)


# date.today() costs a clock read and a localtime() call; a bulk import asks a million times a
# day, so the date is kept until the next local midnight (re-read at least every minute in case
# the time zone changes under us).
_today_value = datetime.date.min
_today_expires = 0.0


def _today() -> datetime.date:
    global _today_value, _today_expires
    now = time.time()
    if now >= _today_expires:
        _today_value = datetime.date.today()
        tomorrow = _today_value + datetime.timedelta(days=1)
        midnight = time.mktime((tomorrow.year, tomorrow.month, tomorrow.day, 0, 0, 0, 0, 0, -1))
        _today_expires = min(midnight, now + 60.0)
    return _today_value


# --- Public functions -----------------------------------------------------------------------


def normalise_number(value: Any) -> str:
    """Return ``value`` as text with all whitespace and invisible characters removed.

    Everything else (dots, dashes, letters, a decimal ``.0``) is kept so the checks can say
    exactly what is wrong. ``None`` becomes ``''``.
    """
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isdigit():
        return value  # nothing to remove (most numbers of an import)
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    return "".join(text.split())


def check_nik(
    value: str | int | None,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    known_district: Callable[[str], bool] | None = None,
    today: datetime.date | None = None,
) -> NikResult:
    """Check a NIK and derive sex, birth date and region codes from it.

    ``birth_date`` and ``sex`` ("L"/"P", any case) are the values recorded for the person; a
    disagreement becomes a flag. ``known_district`` receives the dotted district code
    (``"73.09.13"``) and returns whether it is in the current area list.
    """
    return _check(value, _NIK, birth_date, sex, known_district, today)


def check_kk(
    value: str | int | None,
    *,
    known_district: Callable[[str], bool] | None = None,
    today: datetime.date | None = None,
) -> NikResult:
    """Check a KK (family card) number; its date digits are the card's issue date."""
    return _check(value, _KK, None, None, known_district, today)


def nik_date_digits(birth_date: datetime.date, sex: str | None) -> str | None:
    """The six date digits (DD MM YY, with 40 added to a woman's day) that the NIK of a person
    born on ``birth_date`` holds; None when ``sex`` is not "L" or "P"."""
    if sex == "L":
        return _date_digits(birth_date)[0]
    if sex == "P":
        return _date_digits(birth_date)[1]
    return None


@functools.lru_cache(maxsize=65_536)  # a bulk import asks once per person
def _date_digits(born: datetime.date) -> tuple[str, str]:
    month_year = f"{born.month:02d}{born.year % 100:02d}"
    return f"{born.day:02d}{month_year}", f"{born.day + 40:02d}{month_year}"


def nik_district(prefix: str) -> str | None:
    """The dotted district code ("73.09.13") of a NIK's first six digits when they are a sound
    province, regency and district (whether the district exists is another question)."""
    province, regency, district = prefix[:2], prefix[2:4], prefix[4:6]
    if (
        len(prefix) != 6
        or not (prefix.isdigit() and prefix.isascii())
        or province not in _PROVINCES
        or regency == "00"
        or district == "00"
    ):
        return None
    return f"{province}.{regency}.{district}"


# --- Implementation -------------------------------------------------------------------------


# A frozen dataclass's __init__ sets each field through object.__setattr__, which is a third of
# the time of a whole check; on the hot path the instance dict is filled in one go instead.
_new_object = object.__new__


def _issue(kind: _Kind, key: str, code: str, params: dict[str, Any] | None = None) -> Issue:
    message = kind.messages[key]
    text = str(message % params) if params is not None else str(message)
    return Issue(code, text, kind.field)


def _check(
    value: Any,
    kind: _Kind,
    birth_date: datetime.date | None,
    sex: str | None,
    known_district: Callable[[str], bool] | None,
    today: datetime.date | None,
) -> NikResult:
    if type(value) is str and len(value) == NIK_LENGTH and value.isdigit() and value.isascii():
        s = value
    else:
        s = normalise_number(value)
        if len(s) != NIK_LENGTH or not (s.isdigit() and s.isascii()):
            return NikResult("", _shape_issues(s, kind), [], [], None, None, None, None, None)

    errors: list[Issue] = []
    warnings: list[Issue] = []
    flags: list[Issue] = []

    # Region: PP RR SS
    district_code = nik_district(s[:6])
    province_code = regency_code = None
    if district_code is not None:
        province_code, regency_code = district_code[:2], district_code[:5]
        if known_district is not None and not known_district(district_code):
            warnings.append(
                _issue(kind, "prefix_unknown", "prefix_unknown", {"code": district_code})
            )
    else:
        if s[:2] not in _PROVINCES:
            errors.append(_issue(kind, "province", "region"))
        if s[2:4] == "00":
            errors.append(_issue(kind, "regency", "region"))
        if s[4:6] == "00":
            errors.append(_issue(kind, "district", "region"))

    # Date: DD MM YY
    day_sex = kind.days.get(s[6:8])
    month = _MONTHS.get(s[8:10])
    derived_sex = None
    derived_date = None
    if day_sex is None:
        errors.append(_issue(kind, "day", "day", {"day": s[6:8]}))
    else:
        derived_sex = day_sex[1]
    if month is None:
        errors.append(_issue(kind, "month", "month", {"month": s[8:10]}))
    if day_sex is not None and month is not None:
        day = day_sex[0]
        yy = _YEARS[s[10:12]]
        if day > _MONTH_DAYS[month] or (day == 29 and month == 2 and yy % 4):
            shown = f"{day:02d}-{month:02d}-{yy:02d}"
            errors.append(_issue(kind, "date", "date", {"date": shown}))
        else:
            if today is None:
                today = _today()
            year = 2000 + yy
            later = year > today.year or (
                year == today.year and (month, day) > (today.month, today.day)
            )
            # 19YY when 20YY is still to come, except 29 February 1900 (not a leap year).
            if later and (yy or month != 2 or day != 29):
                year -= 100
            derived_date = datetime.date(year, month, day)

    # Serial: NNNN
    if s[12:] == "0000":
        errors.append(_issue(kind, "serial_zero", "serial_zero"))

    # Agreement with what is recorded for the person (NIK only).
    if (
        derived_date is not None
        and birth_date is not None
        and (
            birth_date.day != derived_date.day
            or birth_date.month != derived_date.month
            or birth_date.year % 100 != derived_date.year % 100
        )
    ):
        dates = {
            "nik_date": derived_date.strftime("%d-%m-%y"),
            "recorded": birth_date.strftime("%d-%m-%Y"),
        }
        flags.append(_issue(kind, "birth_date_mismatch", "birth_date_mismatch", dates))
    if derived_sex is not None and sex:
        recorded_sex = _SEX_ALIASES.get(sex.strip()[:1].upper())
        if recorded_sex is not None and recorded_sex != derived_sex:
            key = "sex_mismatch_p" if derived_sex == "P" else "sex_mismatch_l"
            flags.append(_issue(kind, key, "sex_mismatch"))

    result = _new_object(NikResult)
    result.__dict__.update(
        {
            "value": "" if errors else s,
            "errors": errors,
            "warnings": warnings,
            "flags": flags,
            "sex": derived_sex,
            "birth_date": derived_date,
            "district_code": district_code,
            "regency_code": regency_code,
            "province_code": province_code,
        }
    )
    return result


def _shape_issues(s: str, kind: _Kind) -> list[Issue]:
    """Explain why ``s`` is not 16 plain digits."""
    if not s:
        return [_issue(kind, "empty", "length")]
    if _SCIENTIFIC_RE.fullmatch(s):
        return [_issue(kind, "scientific", "scientific")]
    decimal = _DECIMAL_RE.fullmatch(s)
    if decimal is not None and len(decimal.group(1)) >= 10:
        return [_issue(kind, "decimal", "not_digits", {"suffix": decimal.group(2)})]
    issues = []
    for pos, char in enumerate(s, start=1):
        if not ("0" <= char <= "9"):
            shown = char if char.isprintable() else f"U+{ord(char):04X}"
            issues.append(_issue(kind, "not_digits", "not_digits", {"pos": pos, "char": shown}))
            break
    if len(s) != NIK_LENGTH:
        key = "length_chars" if issues else "length"
        issues.append(_issue(kind, key, "length", {"count": len(s)}))
    return issues
