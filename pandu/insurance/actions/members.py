"""Enrolment of a registry person in a provider's scheme, the end of a membership and its
reinstatement after a lapse.

The person is found by NIK among the registry's people of the provider's area; the answer to a
NIK that is not there is the same whether it exists elsewhere or not, and every look-up is in
the access log (a provider's staff do not read the registry otherwise).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandu.core.access import record_access
from pandu.core.history import stamp
from pandu.core.models import AccessLog
from pandu.registry.choices import PersonStatus, WorkStatus
from pandu.registry.models import Person

from .. import clock, ledger
from ..choices import EndReason, MemberStatus
from ..models import CoverPeriod, Member, Scheme
from ..rules import add_months, check_eligibility, month_start
from ._common import a_date, next_number, raise_if, require_work, rupiah, text
from .providers import ensure_may_enrol

#: Where each eligibility finding is shown on the enrolment form.
FINDING_FIELD = {
    "age": "nik",
    "id": "nik",
    "income": "monthly_income",
    "work": "work_status",
    "breadwinner": "breadwinner",
}


def find_person(user: Any, scheme: Scheme, nik: Any) -> Person:
    """The registry person with this NIK in the provider's area (a neutral refusal otherwise)."""
    value = "".join(ch for ch in str(nik or "") if ch.isdigit())
    record_access(user, AccessLog.Kind.LOOKUP, detail="askesos", area=scheme.provider.area_code)
    person = None
    if len(value) == 16:
        person = (
            Person.objects.filter(nik=value, area_code__startswith=scheme.provider.area_code)
            .select_related("household")
            .first()
        )
    if person is None:
        raise ValidationError(
            {
                "nik": [
                    _(
                        "NIK tidak ditemukan di registri wilayah penyelenggara. Daftarkan dulu "
                        "orang ini melalui operator desa/kelurahan."
                    )
                ]
            }
        )
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError(
            {
                "nik": [
                    _("Data penduduk ini tidak aktif (%(status)s).")
                    % {"status": person.get_status_display()}
                ]
            }
        )
    return person


@transaction.atomic
def enrol_member(
    user: Any,
    scheme: Scheme,
    *,
    nik: Any,
    enrolled_on: date | None,
    occupation: str,
    monthly_income: Any,
    work_status: Any,
    breadwinner: bool,
) -> Member:
    """Enrol a registry person: the provider accredited on the day, the scheme open, the
    person eligible under the terms of the day and a member of no other scheme."""
    require_work(user, scheme)
    errors: dict[str, list[str]] = {}
    day = a_date(enrolled_on, "enrolled_on", _("Tanggal menjadi peserta"), errors)
    income = rupiah(monthly_income, "monthly_income", errors, zero=True)
    job = text(occupation, 150)
    if not job:
        errors["occupation"] = [_("Pekerjaan wajib diisi.")]
    try:
        work = int(work_status) if work_status not in (None, "") else None
    except (TypeError, ValueError):
        work = -1
    if work is not None and work not in WorkStatus.values:
        errors["work_status"] = [_("Pilih status pekerjaan dari daftar.")]
        work = None
    raise_if(errors)
    assert day is not None and income is not None
    provider = scheme.provider
    ensure_may_enrol(provider, day)
    if not scheme.active:
        raise ValidationError(_("Skema ini tidak menerima peserta baru."))
    terms = scheme.terms_on(day)
    if terms is None:
        raise ValidationError(
            {"enrolled_on": [_("Skema belum punya ketentuan yang berlaku pada tanggal ini.")]}
        )
    person = find_person(user, scheme, nik)
    findings = check_eligibility(
        person,
        terms,
        on=day,
        monthly_income=int(income),
        work_status=work,
        breadwinner=bool(breadwinner),
    )
    for finding in findings:
        if not finding.passed:
            errors.setdefault(FINDING_FIELD.get(finding.code, "nik"), []).append(finding.message)
    other = Member.objects.filter(person=person).exclude(status=MemberStatus.ENDED).first()
    if other is not None:
        errors.setdefault("nik", []).append(
            _("Orang ini masih peserta %(number)s; satu orang hanya boleh ikut satu skema.")
            % {"number": other.number}
        )
    raise_if(errors)
    membership = Member(
        provider=provider,
        scheme=scheme,
        person=person,
        household=person.household,
        area_code=person.area_code,
        enrolled_on=day,
        enrolled_by=user,
        occupation=job,
        work_status=work,
        monthly_income=income,
        breadwinner=bool(breadwinner),
        status=MemberStatus.ACTIVE,
        status_on=day,
        dues_from=month_start(day),
    )
    for _attempt in range(3):
        membership.number = next_number(Member, "number", f"ASK-{provider.code}-")
        stamp(membership, user, _("Didaftarkan sebagai peserta Askesos"))
        try:
            with transaction.atomic():
                membership.save()
            break
        except IntegrityError as exc:
            if "person" in str(exc).lower() or "one_membership" in str(exc).lower():
                raise ValidationError(
                    {"nik": [_("Orang ini sudah menjadi peserta skema lain.")]}
                ) from None
            membership.pk = None
    else:
        raise ValidationError(_("Nomor peserta bertabrakan; coba lagi."))
    CoverPeriod.objects.create(membership=membership, start=day, waiting_from=day)
    ledger.run(clock.today(), member_ids=[membership.pk])
    membership.refresh_from_db()
    return membership


@transaction.atomic
def end_membership(
    user: Any, membership: Member, *, reason: str, on: date | None, note: str = ""
) -> Member:
    """The membership ends (death, withdrawal, a lapse not reinstated, a move): no new dues,
    no new claims for events after ``on``; the ledger is kept."""
    require_work(user, membership)
    membership = Member.objects.select_for_update().get(pk=membership.pk)
    errors: dict[str, list[str]] = {}
    if membership.status == MemberStatus.ENDED:
        raise ValidationError(_("Kepesertaan ini sudah berakhir."))
    if reason not in EndReason.values:
        errors["reason"] = [_("Pilih alasan berakhirnya kepesertaan.")]
    day = a_date(on, "on", _("Tanggal berakhir"), errors)
    if day is not None and day < membership.enrolled_on:
        errors["on"] = [_("Kepesertaan tidak dapat berakhir sebelum dimulai.")]
    if reason == EndReason.OTHER and not text(note, 10):
        errors["note"] = [_("Tuliskan keterangannya.")]
    raise_if(errors)
    assert day is not None
    membership.status = MemberStatus.ENDED
    membership.status_on = day
    membership.end_reason = reason
    membership.end_note = text(note, 300)
    stamp(membership, user, _("Kepesertaan berakhir"))
    membership.save()
    CoverPeriod.objects.filter(membership=membership, end__isnull=True).update(end=day)
    return membership


def _reinstate(user: Any, membership: Member, day: date) -> Member:
    """The lapsed member is covered again from ``day`` with a new waiting period; dues run
    again from that month."""
    membership.status = MemberStatus.ACTIVE
    membership.status_on = day
    membership.dues_from = month_start(day)
    # Months while lapsed are not owed: the dues start again from this month (or the next,
    # when this month's due was written before the lapse).
    before = add_months(month_start(day), -1)
    membership.dues_through = max(membership.dues_through or before, before)
    membership.lapse_on = None
    stamp(membership, user, _("Kepesertaan dipulihkan setelah tunggakan dilunasi"))
    membership.save()
    CoverPeriod.objects.create(
        membership=membership,
        start=day,
        waiting_from=day,
        reinstated=True,
    )
    return membership


def reinstatement_problem(membership: Member, day: date) -> str:
    """Why the lapsed member cannot be reinstated on ``day`` ("" when they can)."""
    if membership.status != MemberStatus.LAPSED:
        return str(_("Hanya peserta yang gugur yang dapat dipulihkan."))
    terms = membership.scheme.terms_on(day)
    if terms is None:
        return str(_("Skema tidak punya ketentuan yang berlaku."))
    last = add_months(membership.status_on, terms.reinstate_within_months)
    if day > last:
        return str(
            _("Batas pemulihan %(day)s sudah lewat: peserta harus mendaftar ulang.")
            % {"day": last.strftime("%d-%m-%Y")}
        )
    if membership.total_paid < membership.total_due:
        return str(
            _("Tunggakan Rp%(amount)s harus dilunasi sebelum dipulihkan.")
            % {"amount": f"{membership.arrears:,}".replace(",", ".")}
        )
    return ""


@transaction.atomic
def reinstate_member(user: Any, membership: Member, *, on: date | None) -> Member:
    require_work(user, membership)
    membership = Member.objects.select_for_update().select_related("scheme").get(pk=membership.pk)
    errors: dict[str, list[str]] = {}
    day = a_date(on, "on", _("Tanggal pemulihan"), errors)
    raise_if(errors)
    assert day is not None
    problem = reinstatement_problem(membership, day)
    if problem:
        raise ValidationError(problem)
    membership = _reinstate(user, membership, day)
    ledger.run(clock.today(), member_ids=[membership.pk])
    membership.refresh_from_db()
    return membership
