"""A provider's schemes and the versions of their terms.

Terms are never changed in place: a change is a new version valid from its start date, and a
version not yet in force can be withdrawn (kept, marked). Premiums already due, enrolments and
claims keep the terms of their own dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandu.core.history import stamp

from .. import clock
from ..defaults import DEFAULT_TERMS
from ..models import Provider, Scheme, SchemeTerms
from ._common import raise_if, require_manage, rupiah, text

MONEY = ("monthly_premium", "benefit_illness", "benefit_accident", "benefit_death")
MONEY_OPTIONAL = ("review_above", "max_income")
WHOLE = {
    "waiting_days_illness": 3650,
    "waiting_days_accident": 3650,
    "waiting_days_death": 3650,
    "illness_claims_per_year": 365,
    "due_day": 28,
    "grace_days": 365,
    "lapse_after_months": 24,
    "reinstate_within_months": 60,
    "reinstate_waiting_days": 3650,
    "review_share": 100,
    "min_age": 120,
    "max_age": 120,
}
FLAGS = ("married_waives_min_age", "informal_only", "breadwinner_only", "id_required")
TERM_FIELDS = ("valid_from", "note", *MONEY, *MONEY_OPTIONAL, *WHOLE, *FLAGS)


def _clean_terms(data: dict[str, Any]) -> dict[str, Any]:
    """The terms of one version: every field given or the default; errors name the field."""
    values = {**DEFAULT_TERMS, **{k: v for k, v in data.items() if k in TERM_FIELDS}}
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    if not isinstance(values.get("valid_from"), date):
        errors["valid_from"] = [_("Tanggal mulai berlaku wajib diisi.")]
    else:
        out["valid_from"] = values["valid_from"]
    for name in MONEY:
        amount = rupiah(values.get(name), name, errors, zero=name != "monthly_premium")
        if amount is not None:
            out[name] = amount
    for name in MONEY_OPTIONAL:
        raw = values.get(name)
        if raw in (None, ""):
            out[name] = None
        else:
            amount = rupiah(raw, name, errors)
            if amount is not None:
                out[name] = amount
    for name, top in WHOLE.items():
        try:
            number = int(values.get(name))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= top:
            errors[name] = [_("Isi bilangan bulat 0 sampai %(top)s.") % {"top": top}]
        else:
            out[name] = number
    if out.get("due_day") == 0:
        errors["due_day"] = [_("Tanggal jatuh tempo 1 sampai 28.")]
    if out.get("lapse_after_months") == 0:
        errors["lapse_after_months"] = [
            _("Peserta gugur setelah paling sedikit 1 bulan menunggak.")
        ]
    if "min_age" in out and "max_age" in out and out["max_age"] < out["min_age"]:
        errors["max_age"] = [_("Usia tertinggi tidak boleh di bawah usia terendah.")]
    if not any(out.get(n) for n in ("benefit_illness", "benefit_accident", "benefit_death")):
        errors["benefit_death"] = [_("Skema harus menanggung paling sedikit satu peristiwa.")]
    for name in FLAGS:
        out[name] = bool(values.get(name))
    out["note"] = text(values.get("note"), 300)
    raise_if(errors)
    return out


@transaction.atomic
def create_scheme(
    user: Any, provider: Provider, *, name: str, terms: dict[str, Any], note: str = ""
) -> Scheme:
    """A scheme with its first terms (seed 001's defaults for what is not given)."""
    require_manage(user, provider.area_code)
    if not text(name, 150):
        raise ValidationError({"name": [_("Nama skema wajib diisi.")]})
    cleaned = _clean_terms(terms)
    scheme = Scheme(provider=provider, name=text(name, 150), note=text(note, 4000))
    stamp(scheme, user, _("Skema Askesos dibuat"))
    try:
        with transaction.atomic():
            scheme.save()
    except IntegrityError:
        raise ValidationError(
            {"name": [_("Penyelenggara ini sudah punya skema dengan nama ini.")]}
        ) from None
    version = SchemeTerms(scheme=scheme, created_by=user, **cleaned)
    stamp(version, user, _("Ketentuan pertama skema"))
    version.save()
    return scheme


@transaction.atomic
def add_terms(user: Any, scheme: Scheme, **data: Any) -> SchemeTerms:
    """A new version of the terms from its start date; what is not given is the current
    version's. It may not start before today: what already fell due keeps its terms."""
    require_manage(user, scheme.provider.area_code)
    Scheme.objects.select_for_update().get(pk=scheme.pk)
    today = clock.today()
    base = (
        scheme.terms_on(data.get("valid_from") or today)
        or scheme.terms.filter(withdrawn=False).order_by("valid_from").first()
    )
    current = {
        f: getattr(base, f)
        for f in TERM_FIELDS
        if base is not None and f not in ("valid_from", "note")
    }
    cleaned = _clean_terms({**current, **data})
    if cleaned["valid_from"] < today:
        raise ValidationError(
            {
                "valid_from": [
                    _(
                        "Perubahan ketentuan berlaku paling cepat hari ini; "
                        "yang sudah lewat tidak diubah."
                    )
                ]
            }
        )
    if scheme.terms.filter(valid_from=cleaned["valid_from"], withdrawn=False).exists():
        raise ValidationError(
            {
                "valid_from": [
                    _(
                        "Sudah ada ketentuan yang mulai berlaku pada tanggal ini; "
                        "batalkan dulu yang itu."
                    )
                ]
            }
        )
    version = SchemeTerms(scheme=scheme, created_by=user, **cleaned)
    stamp(version, user, _("Ketentuan skema diubah mulai tanggal berlakunya"))
    version.save()
    return version


@transaction.atomic
def withdraw_terms(user: Any, terms: SchemeTerms) -> SchemeTerms:
    """A version not yet in force is withdrawn (kept in the history, no longer used)."""
    require_manage(user, terms.scheme.provider.area_code)
    if terms.valid_from <= clock.today():
        raise ValidationError(
            _("Ketentuan yang sudah berlaku tidak dapat dibatalkan; buat versi baru.")
        )
    if terms.withdrawn:
        return terms
    terms.withdrawn = True
    stamp(terms, user, _("Ketentuan yang belum berlaku dibatalkan"))
    terms.save()
    return terms


@transaction.atomic
def set_scheme_active(user: Any, scheme: Scheme, active: bool, note: str = "") -> Scheme:
    require_manage(user, scheme.provider.area_code)
    scheme.active = bool(active)
    if note:
        scheme.note = text(note, 4000)
    stamp(
        scheme,
        user,
        _("Skema dibuka untuk peserta baru") if active else _("Skema ditutup untuk peserta baru"),
    )
    scheme.save()
    return scheme
