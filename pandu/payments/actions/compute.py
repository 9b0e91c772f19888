"""Computing a cycle: every entitlement of the programme's active KPM in the cycle's area, in a
few statements (``payments.computation``), recomputed as often as needed until the Dinas
approves; after the head's approval the entitlements are frozen."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pandu.core.history import stamp

from .. import computation
from ..capabilities import PayCap
from ..choices import CycleStatus, RecipientKind
from ..models import Cycle, Entitlement, Payment
from ._common import lock, refresh_figures, require
from .cycles import scheme_on

__all__ = ["compute_cycle"]


def _remove_entitlements(cycle: Cycle) -> None:
    """The cycle's old entitlements, in one statement: before the approval none has a payment
    (nothing to protect), and a collector fetching 250,000 rows to delete them is slow."""
    if Payment.objects.filter(cycle=cycle).exists():  # the keys carry no constraint to refuse it
        raise ValidationError(_("Siklus ini sudah punya pembayaran; hak bantuannya tetap."))
    table = connection.ops.quote_name(Entitlement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name('cycle_id')} = %s",  # noqa: S608
                       [cycle.pk])  # fmt: skip


@transaction.atomic
def compute_cycle(user: Any, cycle: Cycle) -> Cycle:
    """Compute (or recompute) the cycle's entitlements from the registry as it is now, ages on
    the cycle's first day. Entitlements held before are computed afresh (and no longer held)."""
    require(user, PayCap.MANAGE, cycle.area_id)
    cycle = lock(cycle)
    if cycle.frozen:
        raise ValidationError(
            _(
                "Siklus ini sudah disetujui Kepala; hak bantuannya dibekukan dan tidak dihitung "
                "ulang. Perubahan susunan keluarga berlaku mulai siklus berikutnya."
            )
        )
    if cycle.status == CycleStatus.DINAS:
        raise ValidationError(
            _("Siklus ini sudah disetujui Dinas; hak bantuannya tidak dihitung ulang.")
        )
    scheme = scheme_on(cycle.programme, cycle.period_start)
    if scheme is None:
        raise ValidationError(
            _("Program %(programme)s belum punya skema penyaluran yang berlaku pada %(day)s.")
            % {"programme": cycle.programme.code, "day": f"{cycle.period_start:%d-%m-%Y}"}
        )
    started = time.perf_counter()
    if scheme.recipient == RecipientKind.GROUP:
        if not Entitlement.objects.filter(cycle=cycle).exists():
            raise ValidationError(
                _("Program ini dibayar kepada kelompok: tambahkan hak kelompoknya lebih dulu.")
            )
        figures: dict[str, Any] = {}
    else:
        plan = computation.plan_for(cycle, scheme)
        _remove_entitlements(cycle)
        figures = computation.execute(plan, f"pay_calc_{int(cycle.pk)}")
    figures["seconds"] = round(time.perf_counter() - started, 3)
    cycle.status = CycleStatus.COMPUTED
    cycle.scheme = scheme
    cycle.computed_at = timezone.now()
    cycle.computed_by = user
    stamp(
        cycle,
        user,
        _("Hak bantuan dihitung: %(n)s penerima")
        % {"n": number_format(figures.get("entitled", 0), force_grouping=True)},
    )
    cycle.save()
    refresh_figures(cycle, **figures)
    return cycle
