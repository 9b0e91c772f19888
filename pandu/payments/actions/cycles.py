"""Cycles: set up (one, or a year's by the scheme), approved in two steps (the Dinas, then the
head of office), closed; entitlements held before approval and approved one by one after it;
group entitlements (a KUBE's grant, a village account) added by hand."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pandu.core.history import stamp
from pandu.organisations.models import Organisation
from pandu.programs.models import Programme
from pandu.regions.models import Area

from ..capabilities import PayCap
from ..choices import Channel, CycleStatus, EntitlementStatus, RecipientKind
from ..models import Cycle, Entitlement, Scheme
from ..queries import in_force
from ._common import lock, refresh_figures, require

__all__ = [
    "add_group_entitlement",
    "approve_cycle_dinas",
    "approve_cycle_head",
    "approve_entitlement",
    "close_cycle",
    "create_cycle",
    "hold_entitlement",
    "plan_cycles",
    "scheme_on",
]

MONTHS = (
    "", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember",
)  # fmt: skip
ACCOUNT = re.compile(r"^[0-9]{6,30}$")


def scheme_on(programme: Programme, day: date) -> Scheme | None:
    """The programme's payment scheme in force on ``day``."""
    return in_force(Scheme.objects.filter(programme=programme), day).order_by("-valid_from").first()


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _default_name(programme: Programme, area: Area, start: date, months: int) -> str:
    if months == 1:
        when = f"{MONTHS[start.month]} {start.year}"
    elif months == 3 and start.day == 1 and start.month in (1, 4, 7, 10):
        when = _("tahap %(n)s %(year)s") % {"n": (start.month - 1) // 3 + 1, "year": start.year}
    elif months == 12 and start.day == 1 and start.month == 1:
        when = str(start.year)
    else:
        when = f"{start:%d-%m-%Y}"
    return f"{programme.code} {when} — {area.name}"


def _overlapping(programme: Programme, area_code: str, start: date, end: date):
    """Cycles of the programme whose period and area overlap these (one area holds the other)."""
    ancestors = [area_code[:n] for n in (2, 5, 8) if n < len(area_code)]
    return (
        Cycle.objects.filter(programme=programme, period_start__lte=end, period_end__gte=start)
        .filter(Q(area__prefix=area_code) | Q(area__in=ancestors))
        .order_by("period_start")
    )


@transaction.atomic
def create_cycle(
    user: Any,
    *,
    programme: Programme,
    area: Area,
    period_start: date,
    period_end: date | None = None,
    name: str = "",
    note: str = "",
) -> Cycle:
    """A draft cycle of ``programme`` in ``area``; its period follows the programme's scheme
    unless ``period_end`` says otherwise. A cycle overlapping another of the same programme in
    the same area (or one holding it) is refused, naming it."""
    require(user, PayCap.MANAGE, area.code)
    if user is not None and not Programme.objects.visible_to(user).filter(pk=programme.pk).exists():
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if period_start is None:
        raise ValidationError({"period_start": [_("Awal periode wajib diisi.")]})
    scheme = scheme_on(programme, period_start)
    if scheme is None:
        raise ValidationError(
            _(
                "Program %(programme)s belum punya skema penyaluran yang berlaku pada %(day)s; "
                "tetapkan skemanya lebih dulu."
            )
            % {"programme": programme.code, "day": f"{period_start:%d-%m-%Y}"}
        )
    if period_end is None:
        period_end = _add_months(period_start, scheme.months_per_cycle) - timedelta(days=1)
    if period_end < period_start:
        errors["period_end"] = [_("Akhir periode tidak boleh sebelum awal periode.")]
    if errors:
        raise ValidationError(errors)
    other = _overlapping(programme, area.code, period_start, period_end).first()
    if other is not None:
        raise ValidationError(
            _(
                "Periode ini bertumpang tindih dengan siklus %(other)s (%(start)s s.d. %(end)s) "
                "di wilayah yang sama; satu keluarga tidak boleh punya dua hak untuk satu masa."
            )
            % {
                "other": other.name,
                "start": f"{other.period_start:%d-%m-%Y}",
                "end": f"{other.period_end:%d-%m-%Y}",
            }
        )
    cycle = Cycle(
        programme=programme,
        area=area,
        period_start=period_start,
        period_end=period_end,
        scheme=scheme,
        name=(name or "").strip()[:120]
        or _default_name(programme, area, period_start, scheme.months_per_cycle),
        note=(note or "").strip()[:500],
    )
    cycle.full_clean()
    stamp(cycle, user, _("Siklus dibuat"))
    cycle.save()
    return cycle


@transaction.atomic
def plan_cycles(user: Any, *, programme: Programme, area: Area, year: int) -> list[Cycle]:
    """The year's cycles by the programme's scheme (PKH: four stages, BPNT: twelve months);
    those already there are kept. Returns the cycles made."""
    start = date(year, 1, 1)
    made = []
    while start.year == year:
        scheme = scheme_on(programme, start)
        if scheme is None:
            raise ValidationError(
                _("Program %(programme)s belum punya skema penyaluran untuk %(year)s.")
                % {"programme": programme.code, "year": year}
            )
        end = _add_months(start, scheme.months_per_cycle) - timedelta(days=1)
        if not _overlapping(programme, area.code, start, end).exists():
            made.append(create_cycle(user, programme=programme, area=area, period_start=start))
        start = end + timedelta(days=1)
    return made


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d-m-Y H:i") if moment else ""


def _who(person) -> str:
    if person is None:
        return _("sistem")
    return person.get_full_name() or person.get_username()


@transaction.atomic
def approve_cycle_dinas(user: Any, cycle: Cycle, note: str = "") -> Cycle:
    """The first step: the Dinas checks the computed entitlements and approves them."""
    require(user, PayCap.APPROVE_DINAS, cycle.area_id)
    cycle = lock(cycle)
    if cycle.status in (CycleStatus.DINAS, CycleStatus.APPROVED, CycleStatus.CLOSED):
        raise ValidationError(
            _("Siklus ini sudah disetujui Dinas pada %(at)s oleh %(who)s; tidak disetujui lagi.")
            % {"at": _when(cycle.dinas_at), "who": _who(cycle.dinas_by)}
        )
    if cycle.status != CycleStatus.COMPUTED:
        raise ValidationError(_("Siklus ini belum dihitung; hitung haknya lebih dulu."))
    if not Entitlement.objects.filter(cycle=cycle).exists():
        raise ValidationError(_("Siklus ini tidak punya hak bantuan; tidak ada yang disetujui."))
    cycle.status = CycleStatus.DINAS
    cycle.dinas_by = user
    cycle.dinas_at = timezone.now()
    stamp(cycle, user, (note or "").strip() or _("Disetujui Dinas"))
    cycle.save()
    return cycle


@transaction.atomic
def approve_cycle_head(user: Any, cycle: Cycle, note: str = "") -> Cycle:
    """The second and final step: the head approves, the entitlements are frozen (held ones
    stay held, to be approved one by one)."""
    require(user, PayCap.APPROVE_HEAD, cycle.area_id)
    cycle = lock(cycle)
    if cycle.status in (CycleStatus.APPROVED, CycleStatus.CLOSED):
        raise ValidationError(
            _("Siklus ini sudah disetujui Kepala pada %(at)s oleh %(who)s; tidak disetujui lagi.")
            % {"at": _when(cycle.head_at), "who": _who(cycle.head_by)}
        )
    if cycle.status != CycleStatus.DINAS:
        raise ValidationError(
            _("Siklus ini belum disetujui Dinas; Kepala menyetujui sesudah Dinas.")
        )
    now = timezone.now()
    cycle.status = CycleStatus.APPROVED
    cycle.head_by = user
    cycle.head_at = now
    stamp(cycle, user, (note or "").strip() or _("Disetujui Kepala; hak bantuan dibekukan"))
    cycle.save()
    Entitlement.objects.filter(cycle=cycle, status=EntitlementStatus.DRAFT).update(
        status=EntitlementStatus.APPROVED
    )
    refresh_figures(cycle)
    return cycle


@transaction.atomic
def close_cycle(user: Any, cycle: Cycle, note: str = "") -> Cycle:
    """After the reconciliation: no more reconciliation rows are taken for the cycle."""
    require(user, PayCap.MANAGE, cycle.area_id)
    cycle = lock(cycle)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("Siklus ini sudah ditutup."))
    if cycle.status != CycleStatus.APPROVED:
        raise ValidationError(_("Hanya siklus yang sudah disetujui Kepala yang dapat ditutup."))
    cycle.status = CycleStatus.CLOSED
    cycle.closed_by = user
    cycle.closed_at = timezone.now()
    stamp(cycle, user, (note or "").strip() or _("Siklus ditutup"))
    cycle.save()
    return cycle


def _lock_entitlement(entitlement: Entitlement) -> Entitlement:
    return (
        Entitlement.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=entitlement.pk)
    )


@transaction.atomic
def hold_entitlement(user: Any, entitlement: Entitlement, reason: str) -> Entitlement:
    """Before the cycle is approved, the Dinas holds back one entitlement (a family to check):
    the head's approval leaves it out; it is approved later on its own."""
    require(user, PayCap.MANAGE, entitlement.area_code)
    lock(entitlement.cycle)
    entitlement = _lock_entitlement(entitlement)
    if entitlement.cycle.frozen:
        raise ValidationError(
            _("Siklus ini sudah disetujui Kepala; hak bantuannya tidak dapat ditahan lagi.")
        )
    if entitlement.status == EntitlementStatus.HELD:
        raise ValidationError(_("Hak ini sudah ditahan."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Tuliskan alasan hak ini ditahan.")]})
    entitlement.status = EntitlementStatus.HELD
    entitlement.note = reason.strip()[:500]
    entitlement.decided_by = user
    entitlement.decided_at = timezone.now()
    entitlement.save(update_fields=["status", "note", "decided_by", "decided_at"])
    refresh_figures(entitlement.cycle)
    return entitlement


@transaction.atomic
def approve_entitlement(user: Any, entitlement: Entitlement, note: str = "") -> Entitlement:
    """A held entitlement approved on its own, only once its cycle has been approved by the
    head: an entitlement is never approved ahead of its cycle."""
    require(user, PayCap.MANAGE, entitlement.area_code)
    lock(entitlement.cycle)
    entitlement = _lock_entitlement(entitlement)
    cycle = entitlement.cycle
    if not cycle.frozen:
        raise ValidationError(
            _(
                "Hak ini tidak dapat disetujui sebelum siklusnya (%(cycle)s) disetujui Kepala; "
                "status siklus sekarang: %(status)s."
            )
            % {"cycle": cycle.name, "status": cycle.get_status_display()}
        )
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("Siklus ini sudah ditutup."))
    if entitlement.status != EntitlementStatus.HELD:
        raise ValidationError(
            _("Hak ini berstatus '%(status)s'; hanya hak yang ditahan yang disetujui sendiri.")
            % {"status": entitlement.get_status_display()}
        )
    entitlement.status = EntitlementStatus.APPROVED
    entitlement.note = ((note or "").strip() or _("Disetujui setelah ditahan"))[:500]
    entitlement.decided_by = user
    entitlement.decided_at = timezone.now()
    entitlement.save(update_fields=["status", "note", "decided_by", "decided_at"])
    refresh_figures(cycle)
    return entitlement


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(".", "").replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({"amount": [_("Nilai harus angka rupiah.")]}) from None
    return amount


@transaction.atomic
def add_group_entitlement(
    user: Any,
    cycle: Cycle,
    *,
    organisation: Organisation,
    component: str,
    account_bank: str,
    account_number: str,
    account_name: str,
    amount: Any = None,
    note: str = "",
) -> Entitlement:
    """A group's entitlement (a KUBE's grant, Keserasian Sosial paid into a village account):
    owed to the group, not to a family, paid into its account. The amount is the component's
    amount in force at the cycle's start unless given."""
    require(user, PayCap.MANAGE, cycle.area_id)
    cycle = lock(cycle)
    if cycle.status not in (CycleStatus.DRAFT, CycleStatus.COMPUTED):
        raise ValidationError(
            _("Siklus ini sudah disetujui; hak kelompok ditambahkan sebelum persetujuan Dinas.")
        )
    scheme = cycle.scheme or scheme_on(cycle.programme, cycle.period_start)
    if scheme is None or scheme.recipient != RecipientKind.GROUP:
        raise ValidationError(
            _("Program %(programme)s dibayar kepada keluarga, bukan kelompok.")
            % {"programme": cycle.programme.code}
        )
    errors: dict[str, list[str]] = {}
    if not organisation.active:
        errors["organisation"] = [_("Kelompok/lembaga ini tidak aktif.")]
    place = organisation.area_id or ""
    if not place.startswith(cycle.area_id):
        errors["organisation"] = [
            _("Kelompok/lembaga ini tidak berkedudukan di wilayah siklus (%(area)s).")
            % {"area": cycle.area.name}
        ]
    code = (component or "").strip().upper()
    value = _amount(amount)
    if value is None:
        found = (
            cycle.programme.amounts_on(cycle.period_start).filter(component=code).first()
            if code
            else None
        )
        if found is None:
            errors["amount"] = [
                _("Isi nilai hibah, atau pilih komponen program yang punya nilai berlaku.")
            ]
        else:
            value = found.amount
    if value is not None and value <= 0:
        errors["amount"] = [_("Nilai hibah harus lebih dari 0.")]
    account_number = re.sub(r"[\s.-]", "", account_number or "")
    if not ACCOUNT.match(account_number):
        errors["account_number"] = [_("Nomor rekening 6–30 angka.")]
    if not (account_bank or "").strip():
        errors["account_bank"] = [_("Nama bank wajib diisi.")]
    if not (account_name or "").strip():
        errors["account_name"] = [_("Nama pemilik rekening wajib diisi.")]
    if errors:
        raise ValidationError(errors)
    assert value is not None
    entitlement = Entitlement(
        cycle=cycle,
        organisation=organisation,
        area_code=place or cycle.area_id,
        channel=Channel.BANK,
        amount=value,
        components={code or "HIBAH": [1, int(value)]},
        status=EntitlementStatus.DRAFT,
        account_bank=account_bank.strip()[:50],
        account_number=account_number,
        account_name=account_name.strip()[:150],
        note=(note or "").strip()[:500],
        decided_by=user,
        decided_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            entitlement.save()
    except IntegrityError:
        raise ValidationError(
            {"organisation": [_("Kelompok ini sudah punya hak di siklus ini.")]}
        ) from None
    if cycle.status == CycleStatus.DRAFT:
        cycle.status = CycleStatus.COMPUTED
        cycle.computed_at = timezone.now()
        cycle.computed_by = user
        stamp(cycle, user, _("Hak kelompok ditambahkan"))
        cycle.save()
    refresh_figures(cycle)
    return entitlement
