"""After the reconciliation: failed payments carried into a later cycle's payment list (the
retry list), and returned funds deposited back to the state treasury."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pandu.core.history import stamp

from ..capabilities import PayCap
from ..choices import CycleStatus, EntitlementStatus, PaymentStatus
from ..models import Cycle, Entitlement, Payment, TreasuryReturn
from ._common import lock, refresh_figures, require, scope_of

__all__ = ["record_treasury_return", "schedule_retries", "waiting_retries"]


def waiting_retries(cycle: Cycle):
    """Failed payments of earlier cycles of the programme inside the cycle's area that wait
    for a payment list: never carried, or carried into a cycle since closed."""
    return (
        Entitlement.objects.filter(
            status=EntitlementStatus.FAILED,
            cycle__programme_id=cycle.programme_id,
            cycle__period_end__lt=cycle.period_start,
            area_code__prefix=cycle.area_id,
        )
        .filter(Q(retry_in__isnull=True) | Q(retry_in__status=CycleStatus.CLOSED))
        .exclude(retry_in=cycle)
    )


@transaction.atomic
def schedule_retries(user: Any, cycle: Cycle) -> int:
    """Carry the retry list into ``cycle``: its payment lists then hold them too (``susulan``,
    under their own cycle's ID). Returns how many were carried."""
    require(user, PayCap.MANAGE, cycle.area_id)
    cycle = lock(cycle)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("Siklus ini sudah ditutup; pilih siklus yang masih berjalan."))
    ids = waiting_retries(cycle).values("pk")
    carried = Entitlement.objects.filter(pk__in=ids).update(retry_in=cycle)
    if carried:
        stamp(
            cycle,
            user,
            _("%(n)s pembayaran gagal dijadwalkan ulang di siklus ini")
            % {"n": number_format(carried, force_grouping=True)},
        )
        cycle.save()
    refresh_figures(cycle)
    return carried


@transaction.atomic
def record_treasury_return(
    user: Any,
    cycle: Cycle,
    *,
    returned_on: date | None,
    reference: str,
    amount: Any,
    note: str = "",
) -> TreasuryReturn:
    """The deposit to the state treasury of every returned payment of the cycle (inside the
    user's area) not deposited yet: its amount must be their sum."""
    require(user, PayCap.MANAGE, cycle.area_id)
    cycle = lock(cycle)
    scope = scope_of(user)
    open_ = Payment.objects.select_for_update().filter(
        cycle=cycle, status=PaymentStatus.RETURNED, treasury_return__isnull=True
    )
    if scope:
        open_ = open_.filter(area_code__prefix=scope)
    due = int(open_.aggregate(s=Sum("amount"))["s"] or 0)
    errors: dict[str, list[str]] = {}
    if not due:
        raise ValidationError(_("Tidak ada dana dikembalikan siklus ini yang belum disetor."))
    try:
        value = Decimal(str(amount).replace(".", "").replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        value = None
    if value is None or value != due:
        errors["amount"] = [
            _("Jumlah setoran harus sama dengan dana dikembalikan yang belum disetor: Rp%(due)s.")
            % {"due": number_format(due, force_grouping=True)}
        ]
    if returned_on is None:
        errors["returned_on"] = [_("Tanggal setor wajib diisi.")]
    elif returned_on > timezone.localdate():
        errors["returned_on"] = [_("Tanggal setor tidak boleh di masa depan.")]
    elif returned_on < cycle.period_start:
        errors["returned_on"] = [_("Tanggal setor tidak boleh sebelum awal siklus.")]
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = [_("Nomor bukti setor (NTPN) wajib diisi.")]
    if errors:
        raise ValidationError(errors)
    deposit = TreasuryReturn(
        cycle=cycle,
        area_code=scope or cycle.area_id,
        amount=due,
        returned_on=returned_on,  # type: ignore[misc]  # checked above
        reference=reference[:60],
        note=(note or "").strip()[:500],
        recorded_by=user,
    )
    try:
        with transaction.atomic():
            stamp(deposit, user, _("Dana dikembalikan disetor ke kas negara"))
            deposit.save()
    except IntegrityError:
        raise ValidationError(
            {"reference": [_("Nomor bukti setor %(ref)s sudah dicatat.") % {"ref": reference}]}
        ) from None
    open_.update(treasury_return=deposit)
    refresh_figures(cycle)
    return deposit
