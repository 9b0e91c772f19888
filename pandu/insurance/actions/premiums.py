"""Premium payments: one at a time at the provider's desk (cash or a transfer, with its
receipt), or a whole file of them; and the monthly ledger run.

A payment settles the oldest dues first; more than the arrears is kept as credit for the
coming months (up to a year of premiums: more is a typing error). A payment that clears a
lapsed member's arrears inside the reinstatement window reinstates them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .. import clock, ledger
from ..choices import MemberStatus, PaymentMethod
from ..models import Member, PremiumPayment, Provider
from ._common import a_date, next_number, raise_if, require_work, rupiah, text
from .members import _reinstate, reinstatement_problem

#: Credit beyond the arrears is accepted up to this many months of premiums.
MAX_MONTHS_AHEAD = 12


def check_payment(
    membership: Member, amount: Any, paid_on: Any, method: Any, errors: dict[str, list[str]]
) -> tuple[Decimal | None, date | None]:
    """The values of one payment (shared by the desk and the file import)."""
    value = rupiah(amount, "amount", errors)
    day = a_date(paid_on, "paid_on", _("Tanggal bayar"), errors)
    if method not in PaymentMethod.values:
        errors["method"] = [_("Pilih cara bayar: tunai atau transfer.")]
    if membership.status == MemberStatus.ENDED:
        errors.setdefault("amount", []).append(
            _("Kepesertaan %(number)s sudah berakhir; iuran tidak diterima lagi.")
            % {"number": membership.number}
        )
    if day is not None and day < membership.enrolled_on:
        errors.setdefault("paid_on", []).append(
            _("Tanggal bayar sebelum menjadi peserta (%(day)s).")
            % {"day": membership.enrolled_on.strftime("%d-%m-%Y")}
        )
    if value is not None and not errors:
        terms = membership.scheme.terms_on(day or clock.today())
        premium = int(terms.monthly_premium) if terms is not None else 0
        limit = membership.arrears + premium * MAX_MONTHS_AHEAD - membership.credit
        if premium and value > limit:
            errors["amount"] = [
                _(
                    "Pembayaran Rp%(amount)s melebihi tunggakan ditambah iuran %(months)s bulan "
                    "ke depan (paling banyak Rp%(limit)s). Periksa kembali jumlahnya."
                )
                % {
                    "amount": f"{int(value):,}".replace(",", "."),
                    "months": MAX_MONTHS_AHEAD,
                    "limit": f"{max(limit, 0):,}".replace(",", "."),
                }
            ]
    return value, day


def _receipt_number(provider: Provider, day: date) -> str:
    return next_number(PremiumPayment, "receipt_number", f"KW-{provider.code}-{day:%Y}-", 7)


def write_payment(
    user: Any,
    membership: Member,
    *,
    amount: Decimal,
    paid_on: date,
    method: str,
    reference: str = "",
    note: str = "",
    batch: Any = None,
) -> PremiumPayment:
    """Write a checked payment, add it to the member's total and settle dues."""
    payment = PremiumPayment(
        membership=membership,
        provider=membership.provider,
        area_code=membership.area_code,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=text(reference, 60),
        note=text(note, 300),
        recorded_by=user,
        batch=batch,
    )
    for _attempt in range(3):
        payment.receipt_number = _receipt_number(membership.provider, paid_on)
        try:
            with transaction.atomic():
                payment.save()
            break
        except IntegrityError as exc:
            if "reference" in str(exc).lower():
                raise ValidationError(
                    {"reference": [_("Referensi ini sudah tercatat untuk penyelenggara ini.")]}
                ) from None
            payment.pk = None
    Member.objects.filter(pk=membership.pk).update(total_paid=F("total_paid") + amount)
    return payment


def settle(user: Any, membership: Member, paid_on: date) -> Member:
    """After payments: the ledger of this member, and reinstatement when the arrears are paid."""
    today = clock.today()
    ledger.run(today, member_ids=[membership.pk])
    membership.refresh_from_db()
    if membership.status == MemberStatus.LAPSED and not reinstatement_problem(membership, today):
        membership = _reinstate(user, membership, today)
        ledger.run(today, member_ids=[membership.pk])
        membership.refresh_from_db()
    return membership


@transaction.atomic
def record_payment(
    user: Any,
    membership: Member,
    *,
    amount: Any,
    paid_on: date | None,
    method: str,
    reference: str = "",
    note: str = "",
) -> PremiumPayment:
    require_work(user, membership)
    Member.objects.select_for_update().filter(pk=membership.pk).first()
    ledger.run(clock.today(), member_ids=[membership.pk])  # this month's due first
    membership = Member.objects.select_related("provider", "scheme").get(pk=membership.pk)
    errors: dict[str, list[str]] = {}
    value, day = check_payment(membership, amount, paid_on, method, errors)
    raise_if(errors)
    assert value is not None and day is not None
    payment = write_payment(
        user, membership, amount=value, paid_on=day, method=method, reference=reference, note=note
    )
    settle(user, membership, day)
    return payment


def run_ledger(
    on: date | None = None, *, provider: Provider | None = None, user: Any = None
) -> dict[str, Any]:
    """The monthly run (dues, arrears, lapses) as of ``on`` (today by default); the Celery job
    ``insurance.ledger`` calls it every day, and the Dinas can start it for one provider."""
    if user is not None and provider is not None:
        require_work(user, provider)
    return ledger.run(on or clock.today(), provider_id=provider.pk if provider else None)
