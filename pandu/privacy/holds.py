"""What the law or a programme's rules require to be kept about a person, checked before an
erasure is proposed and again before it is approved.

Each :class:`Hold` names a reason in words a citizen can be told and how many records it
concerns, never what those records say (a sensitive case is counted like any other). Any hold
refuses an erasure; the handler restricts processing instead (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import choices as c
from .queries import rule_for


@dataclass(frozen=True)
class Hold:
    code: str
    label: str
    count: int = 1
    until: str = ""  # ISO date when the hold ends by itself (a retention period), else ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def households_of(person: Any) -> list[int]:
    """The families the person belongs or belonged to."""
    from pandu.registry.models import Membership

    ids = set(Membership.objects.filter(person=person).values_list("household_id", flat=True))
    if person.household_id:
        ids.add(person.household_id)
    return sorted(ids)


def holds_for(person: Any, *, today: date | None = None) -> list[Hold]:
    from pandu.payments.models import Entitlement, Payment
    from pandu.programs.models import Enrolment
    from pandu.programs.models.enrolment import OPEN_STATUSES
    from pandu.proposals.models import OPEN_STATUSES as OPEN_ITEMS
    from pandu.proposals.models import ProposalItem
    from pandu.services.models import Intake

    today = today or timezone.localdate()
    families = households_of(person)
    found: list[Hold] = []
    if person.status == "active":
        found.append(
            Hold(
                "registry_active",
                _(
                    "Masih terdaftar aktif di registri kesejahteraan sosial (DTKS/DTSEN, "
                    "Permensos 3/2021): keluarkan dahulu lewat pemutakhiran registri."
                ),
            )
        )
    paid = Payment.objects.filter(household_id__in=families).count()
    owed = Entitlement.objects.filter(household_id__in=families).count()
    if paid or owed:
        found.append(
            Hold(
                "payments",
                _(
                    "Terkait hak dan pembayaran bantuan sosial: bukti penyaluran wajib disimpan "
                    "untuk pertanggungjawaban keuangan negara."
                ),
                count=paid + owed,
            )
        )
    enrolled = (
        Enrolment.objects.filter(Q(household_id__in=families) | Q(recipient=person))
        .filter(status__in=OPEN_STATUSES)
        .count()
    )
    if enrolled:
        found.append(
            Hold(
                "programme",
                _("Masih menjadi calon/KPM program bantuan: aturan program mewajibkan datanya."),
                count=enrolled,
            )
        )
    intakes = Intake.objects.filter(person=person)
    open_cases = intakes.exclude(status="closed").count()
    if open_cases:
        found.append(
            Hold(
                "open_service",
                _("Ada pengaduan atau kasus layanan yang masih ditangani."),
                count=open_cases,
            )
        )
    rule = rule_for(c.RecordKind.INTAKE_CLOSED, person.area_code)
    if rule is not None:
        closed = list(
            intakes.filter(status="closed", closed_at__isnull=False).values_list(
                "closed_at", flat=True
            )
        )
        kept = [
            add_months(timezone.localdate(at), rule.period_months)
            for at in closed
            if add_months(timezone.localdate(at), rule.period_months) >= today
        ]
        if kept:
            found.append(
                Hold(
                    "service_retention",
                    _("Catatan layanan yang sudah selesai masih dalam masa simpan (%(basis)s).")
                    % {"basis": rule.legal_basis[:120]},
                    count=len(kept),
                    until=max(kept).isoformat(),
                )
            )
    items = ProposalItem.objects.filter(person=person, status__in=OPEN_ITEMS).count()
    if items:
        found.append(
            Hold(
                "proposal",
                _("Ada usulan pemutakhiran registri tentang orang ini yang belum diputuskan."),
                count=items,
            )
        )
    return found


def ends_by_itself(holds: list[Hold]) -> date | None:
    """When every hold ends by its own period (none open-ended), the day after the last."""
    if not holds or any(not h.until for h in holds):
        return None
    return max(date.fromisoformat(h.until) for h in holds) + timedelta(days=1)
