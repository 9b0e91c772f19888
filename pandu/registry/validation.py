"""Rules every way into the registry shares: forms, API, importer and actions all call these."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pandu.regions.queries import district_exists

from . import choices as c
from .nik import check_kk, check_nik

ADULT_AGE = 17  # KTP age; younger heads of household need a recorded reason
MAX_NAME = 150


def clean_nik(value, *, birth_date: date | None = None, sex: str | None = None):
    """Returns (nik, result); raises ValidationError with every problem found."""
    result = check_nik(value, birth_date=birth_date, sex=sex, known_district=district_exists)
    if not result.valid:
        raise ValidationError([str(i.message) for i in result.errors], code="nik")
    return result.value, result


def clean_kk(value) -> str:
    result = check_kk(value, known_district=district_exists)
    if not result.valid:
        raise ValidationError([str(i.message) for i in result.errors], code="kk")
    return result.value


def quality_flags(result) -> list[str]:
    """Codes of data-quality problems to keep on the record (NIK vs birth date/sex, prefix)."""
    codes = [f"nik_{i.code}" if not i.code.startswith("nik_") else i.code for i in result.flags]
    codes += [f"nik_{i.code}" for i in result.warnings]
    return sorted(set(codes))


FLAG_LABELS = {
    "nik_birth_date_mismatch": _("Tanggal lahir di NIK berbeda dengan tanggal lahir tercatat"),
    "nik_sex_mismatch": _("Jenis kelamin menurut NIK berbeda dengan yang tercatat"),
    "nik_prefix_unknown": _("Kode wilayah NIK tidak ada dalam daftar wilayah saat ini"),
}


def clean_name(value: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError(_("Nama wajib diisi."), code="required")
    if len(value) > MAX_NAME:
        raise ValidationError(
            _("Nama terlalu panjang (%(n)s karakter, paling banyak %(max)s).")
            % {"n": len(value), "max": MAX_NAME},
            code="max_length",
        )
    if any(ch in value for ch in "<>{}") or any(ord(ch) < 32 for ch in value):
        raise ValidationError(
            _("Nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung."),
            code="invalid_chars",
        )
    return value


def clean_birth_date(value: date | None, today: date | None = None) -> date:
    today = today or date.today()
    if value is None:
        raise ValidationError(_("Tanggal lahir wajib diisi."), code="required")
    if value > today:
        raise ValidationError(_("Tanggal lahir tidak boleh di masa depan."), code="future")
    if value.year < 1900:
        raise ValidationError(_("Tanggal lahir sebelum tahun 1900 tidak mungkin."), code="too_old")
    return value


def age_on(birth_date: date, when: date) -> int:
    return (
        when.year - birth_date.year - ((when.month, when.day) < (birth_date.month, birth_date.day))
    )


def check_head(
    relationship: int | None,
    birth_date: date | None,
    marital_status: int | None,
    head_reason: str,
    today: date | None = None,
) -> None:
    """A child as head of household is possible (orphans) but must carry a reason."""
    if relationship != c.Relationship.HEAD or birth_date is None:
        return
    married = marital_status not in (None, c.MaritalStatus.SINGLE)
    if age_on(birth_date, today or date.today()) < ADULT_AGE and not married and not head_reason:
        raise ValidationError(
            {
                "head_reason": _(
                    "Kepala keluarga berusia di bawah 17 tahun dan belum kawin: "
                    "tuliskan alasannya (misalnya yatim piatu)."
                )
            }
        )


def check_ppks_rule(category, *, person=None, household=None, on_date: date | None = None) -> None:
    """Age and sex rules of a PPKS category, and whether it applies to a household."""
    on_date = on_date or date.today()
    if household is not None and person is None:
        if not category.household_level:
            raise ValidationError(
                {
                    "category": _("%(cat)s dicatat per orang, bukan per keluarga.")
                    % {"cat": category.name}
                }
            )
        return
    if person is None:
        raise ValidationError(_("Pilih orang atau keluarga."))
    age = age_on(person.birth_date, on_date)
    if not category.accepts_age(age):
        raise ValidationError(
            {
                "category": _(
                    "%(cat)s berlaku untuk usia %(rule)s tahun; usia orang ini %(age)s tahun."
                )
                % {"cat": category.name, "rule": category.age_rule_text(), "age": age}
            }
        )
    if category.sex and person.sex != category.sex:
        raise ValidationError(
            {
                "category": _("%(cat)s hanya berlaku untuk %(sex)s.")
                % {"cat": category.name, "sex": c.Sex(category.sex).label.lower()}
            }
        )


MAX_PREGNANCY_MONTHS = 10


def check_pregnancy(
    sex: str | None,
    pregnant: bool | None,
    months: int | None = None,
    due_date: date | None = None,
    *,
    today: date | None = None,
) -> dict[str, str]:
    """Problems with a person's pregnancy answers, by field (empty when they agree).

    Only a woman can be recorded pregnant; the month of pregnancy and the expected date belong
    to a recorded pregnancy; the expected date lies at most ten months ahead and not long past.
    """
    problems: dict[str, str] = {}
    if pregnant and sex == c.Sex.MALE:
        problems["pregnant"] = str(_("Status hamil hanya untuk perempuan."))
    if not pregnant:
        if months:
            problems["pregnancy_months"] = str(
                _("Usia kehamilan hanya diisi untuk orang yang sedang hamil.")
            )
        if due_date:
            problems["due_date"] = str(
                _("Perkiraan tanggal persalinan hanya diisi untuk orang yang sedang hamil.")
            )
        return problems
    if months is not None and not 1 <= months <= MAX_PREGNANCY_MONTHS:
        problems["pregnancy_months"] = str(_("Usia kehamilan harus 1–10 bulan."))
    if due_date is not None:
        today = today or date.today()
        days = (due_date - today).days
        if days > 310 or days < -60:
            problems["due_date"] = str(
                _(
                    "Perkiraan tanggal persalinan harus dalam 10 bulan ke depan (atau paling "
                    "lama 2 bulan lalu)."
                )
            )
    return problems


def clean_phone(value) -> str:
    """An Indonesian phone number as digits: 08..., or +62/62 written as 0; 9–15 digits."""
    text = "".join(str(value or "").split()).replace("-", "").replace(".", "")
    if not text:
        return ""
    if text.startswith("+62"):
        text = "0" + text[3:]
    elif text.startswith("62"):
        text = "0" + text[2:]
    if not text.isdigit() or not text.startswith("0") or not 9 <= len(text) <= 15:
        raise ValidationError(
            _("Nomor telepon harus 9–15 angka, diawali 0 atau +62 (misalnya 081234567890)."),
            code="phone",
        )
    return text


def clean_bank_account(value) -> str:
    """A bank or KKS account number: digits only (spaces, dots and dashes dropped), 6–20."""
    text = "".join(str(value or "").split()).replace("-", "").replace(".", "")
    if not text:
        return ""
    if not text.isdigit() or not 6 <= len(text) <= 20:
        raise ValidationError(
            _("Nomor rekening harus 6–20 angka (spasi, titik dan tanda hubung boleh)."),
            code="bank_account",
        )
    return text


def mask_account(value: str | None) -> str:
    """An account number for those without need to know it: only its last four digits."""
    if not value:
        return ""
    return "*" * max(len(value) - 4, 4) + value[-4:]


def is_masked(value) -> bool:
    """A masked account as :func:`mask_account` writes it (an export read back in)."""
    text = str(value or "").strip()
    return bool(text) and text.startswith("*")
