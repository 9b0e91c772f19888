"""The scheme's rules as plain functions: who may join, when a provider may enrol, when a member
lapses, and the automatic check of a claim. Each answer is a list of findings (a code, whether it
passed, a sentence for the user), so a refusal always says which rule and why.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from pandu.registry.choices import MaritalStatus

from .choices import REQUIRED_DOCUMENTS, AccreditationStatus, ClaimStatus, EventType
from .defaults import INFORMAL_WORK


@dataclass
class Finding:
    code: str
    passed: bool
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rupiah(value: Any) -> str:
    return f"Rp{int(value or 0):,.0f}".replace(",", ".")


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept inside the target month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_start(day: date) -> date:
    return day.replace(day=1)


def age_on(birth: date, day: date) -> int:
    """Whole years of age on ``day`` (a 29 February birthday counts from 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


# --- Providers --------------------------------------------------------------------------------


def provider_accredited(provider: Any, day: date) -> bool:
    return provider.accreditations.filter(
        status=AccreditationStatus.ACCREDITED, valid_from__lte=day, valid_until__gte=day
    ).exists()


# --- Members ----------------------------------------------------------------------------------


def check_eligibility(
    person: Any,
    terms: Any,
    *,
    on: date,
    monthly_income: int | None,
    work_status: int | None,
    breadwinner: bool,
) -> list[Finding]:
    """Seed 001's conditions under the scheme's terms in force on ``on``.

    Aged ``min_age``-``max_age`` or married: marriage lets a younger adult join (the age of
    majority in Indonesian law), never one older than ``max_age``.
    """
    out: list[Finding] = []
    age = age_on(person.birth_date, on)
    married = person.marital_status != MaritalStatus.SINGLE
    values = {"age": age, "min": terms.min_age, "max": terms.max_age}
    if age > terms.max_age:
        out.append(
            Finding(
                "age",
                False,
                _("Usia %(age)s tahun: peserta paling tua %(max)s tahun.") % values,
            )
        )
    elif age < terms.min_age and not (married and terms.married_waives_min_age):
        out.append(
            Finding(
                "age",
                False,
                _(
                    "Usia %(age)s tahun dan belum menikah: peserta berusia %(min)s–%(max)s "
                    "tahun atau sudah menikah."
                )
                % values,
            )
        )
    else:
        out.append(Finding("age", True, _("Usia %(age)s tahun memenuhi syarat.") % values))
    if terms.id_required:
        has_id = bool(person.has_id_card)
        out.append(
            Finding(
                "id",
                has_id,
                _("Memiliki KTP-el.")
                if has_id
                else _("Belum tercatat memiliki KTP-el: peserta wajib memiliki identitas resmi."),
            )
        )
    if terms.max_income is not None:
        if monthly_income is None:
            out.append(Finding("income", False, _("Penghasilan per bulan wajib diisi.")))
        else:
            ok = int(monthly_income) <= int(terms.max_income)
            out.append(
                Finding(
                    "income",
                    ok,
                    (
                        _("Penghasilan %(income)s per bulan memenuhi syarat.")
                        if ok
                        else _("Penghasilan %(income)s per bulan melebihi batas %(limit)s.")
                    )
                    % {"income": rupiah(monthly_income), "limit": rupiah(terms.max_income)},
                )
            )
    if terms.informal_only:
        ok = work_status in INFORMAL_WORK
        out.append(
            Finding(
                "work",
                ok,
                _("Bekerja di sektor informal atau berusaha sendiri.")
                if ok
                else _("Peserta harus bekerja di sektor informal atau berusaha sendiri."),
            )
        )
    if terms.breadwinner_only:
        out.append(
            Finding(
                "breadwinner",
                bool(breadwinner),
                _("Pencari nafkah utama keluarga.")
                if breadwinner
                else _("Peserta harus pencari nafkah utama keluarga."),
            )
        )
    return out


def lapse_day(unpaid_from: date, terms: Any) -> date:
    """The last day of cover of a member whose oldest unpaid month is ``unpaid_from``: the
    ``lapse_after_months``-th unpaid month's due day plus the grace period. The member is still
    covered on this day and lapses on the next."""
    nth = add_months(unpaid_from, terms.lapse_after_months - 1)
    return nth.replace(day=terms.due_day) + timedelta(days=terms.grace_days)


# --- Claims -----------------------------------------------------------------------------------


def period_on(membership: Any, day: date) -> Any | None:
    """The cover period that contains ``day``."""
    for period in membership.periods.all():
        if period.start <= day and (period.end is None or day <= period.end):
            return period
    return None


def check_claim(
    membership: Any,
    terms: Any,
    *,
    event_type: str,
    event_date: date,
    filed_on: date,
    amount_claimed: int,
    document_kinds: set[str],
    earlier_illness_claims: int,
) -> tuple[list[Finding], bool]:
    """The automatic check, in the order a claims officer reads it. Returns the findings and
    whether the claim is refused outright (a rule the review cannot overrule)."""
    out: list[Finding] = []
    refused = False

    def add(code: str, passed: bool, message: str, *, refuses: bool = True) -> None:
        nonlocal refused
        out.append(Finding(code, passed, message))
        if not passed and refuses:
            refused = True

    benefit = terms.benefit(event_type) if terms is not None else 0
    add(
        "covered",
        benefit > 0,
        _("Peristiwa ini ditanggung skema: santunan %(amount)s.") % {"amount": rupiah(benefit)}
        if benefit > 0
        else _("Skema tidak menanggung peristiwa ini."),
    )
    if event_date > filed_on:
        add("date", False, _("Tanggal peristiwa tidak boleh sesudah tanggal pengajuan."))
    if event_date < membership.enrolled_on:
        add(
            "enrolment",
            False,
            _("Peristiwa terjadi sebelum menjadi peserta (%(day)s).")
            % {"day": membership.enrolled_on.strftime("%d-%m-%Y")},
        )
        return out, True
    period = period_on(membership, event_date)
    if period is None:
        add(
            "lapse",
            False,
            _("Pada tanggal peristiwa kepesertaan sedang gugur karena tunggakan iuran."),
        )
        return out, True
    add("lapse", True, _("Pada tanggal peristiwa peserta dalam masa kepesertaan."))
    if terms is not None:
        # A reinstated member waits the reinstatement's period, whatever the event.
        waiting = (
            terms.reinstate_waiting_days if period.reinstated else terms.waiting_days(event_type)
        )
        ends = period.waiting_from + timedelta(days=waiting)
        add(
            "waiting",
            event_date >= ends,
            _("Masa tunggu %(days)s hari sudah lewat.") % {"days": waiting}
            if event_date >= ends
            else _("Peristiwa terjadi dalam masa tunggu %(days)s hari (sampai %(day)s).")
            % {"days": waiting, "day": (ends - timedelta(days=1)).strftime("%d-%m-%Y")},
        )
        if event_type == EventType.ILLNESS and terms.illness_claims_per_year:
            ok = earlier_illness_claims < terms.illness_claims_per_year
            add(
                "yearly_limit",
                ok,
                _("Klaim sakit tahun ini: %(n)s dari paling banyak %(max)s.")
                % {"n": earlier_illness_claims + 1, "max": terms.illness_claims_per_year},
            )
    if benefit and amount_claimed > benefit:
        add(
            "amount",
            False,
            _(
                "Nilai diajukan %(claimed)s melebihi santunan %(benefit)s: dibayar paling banyak "
                "sebesar santunan."
            )
            % {"claimed": rupiah(amount_claimed), "benefit": rupiah(benefit)},
            refuses=False,
        )
    missing = missing_documents(event_type, document_kinds)
    add(
        "documents",
        not missing,
        _("Dokumen wajib lengkap.")
        if not missing
        else _("Dokumen wajib belum ada: %(names)s.") % {"names": ", ".join(missing)},
        refuses=False,
    )
    return out, refused


def missing_documents(event_type: str, kinds: set[str]) -> list[str]:
    from .choices import DocumentKind

    labels = dict(DocumentKind.choices)
    missing = []
    for any_of in REQUIRED_DOCUMENTS.get(event_type, ()):
        if not kinds.intersection(any_of):
            missing.append(" / ".join(str(labels[k]) for k in any_of))
    return missing


def review_reasons(claim_uid: Any, amount: int, terms: Any, findings: list[Finding]) -> list[str]:
    """Why a claim goes to a person: above the threshold, drawn in the random share (the draw is
    a hash of the claim's id, so it can be checked afterwards), or a finding to look at."""
    reasons = []
    if terms.review_above is not None and amount > int(terms.review_above):
        reasons.append(_("Nilai klaim di atas %(limit)s.") % {"limit": rupiah(terms.review_above)})
    draw = int(hashlib.sha256(str(claim_uid).encode()).hexdigest()[:8], 16) % 100
    if draw < terms.review_share:
        reasons.append(
            _("Terpilih acak (%(share)s%% klaim ditinjau).") % {"share": terms.review_share}
        )
    for finding in findings:
        if not finding.passed:
            reasons.append(finding.message)
    return reasons


CLAIM_OPEN = (ClaimStatus.REVIEW, ClaimStatus.APPROVED)
