"""Conditionality: whether a KPM met the programme's conditions in a cycle (a child's school
attendance, health visits), and the scheme's consequence of repeated misses: suspension, made
through the programme's own status change so the KPM's history says why."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.history import stamp
from pandu.programs.actions import change_enrolment_status
from pandu.programs.models import Enrolment
from pandu.programs.models.enrolment import EnrolmentStatus

from ..capabilities import PayCap
from ..choices import ConditionalityKind, ConditionalityResult, CycleStatus
from ..models import ConditionalityRecord, Cycle
from ._common import require

__all__ = ["apply_conditionality", "record_conditionality"]


@transaction.atomic
def record_conditionality(
    user: Any,
    cycle: Cycle,
    *,
    household,
    person=None,
    kind: str,
    result: str,
    note: str = "",
) -> ConditionalityRecord:
    """Record (or correct) one condition of one KPM for the cycle: school attendance is per
    child; a health visit per member or for the family."""
    require(user, PayCap.CONDITIONALITY, household.village_id)
    errors: dict[str, list[str]] = {}
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("Siklus ini sudah ditutup; kewajiban tidak dicatat lagi."))
    if not household.village_id.startswith(cycle.area_id):
        raise ValidationError(_("Keluarga ini tidak berada di wilayah siklus."))
    enrolled = Enrolment.objects.filter(
        programme_id=cycle.programme_id,
        household_id=household.pk,
        status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED],
    ).exists()
    if not enrolled:
        raise ValidationError(
            _("Keluarga ini bukan KPM %(programme)s.") % {"programme": cycle.programme.code}
        )
    if kind not in ConditionalityKind.values:
        errors["kind"] = [_("Pilih jenis kewajiban.")]
    if result not in ConditionalityResult.values:
        errors["result"] = [_("Pilih hasil: terpenuhi atau tidak terpenuhi.")]
    if kind == ConditionalityKind.SCHOOL and person is None:
        errors["person"] = [_("Kehadiran sekolah dicatat untuk seorang anak; pilih anggotanya.")]
    if person is not None and (person.household_id != household.pk or person.status != "active"):
        errors["person"] = [_("Orang ini bukan anggota aktif keluarga tersebut.")]
    if result == ConditionalityResult.MISSED and not (note or "").strip():
        errors["note"] = [_("Tuliskan catatan mengapa kewajiban tidak terpenuhi.")]
    if errors:
        raise ValidationError(errors)
    record = (
        ConditionalityRecord.objects.select_for_update()
        .filter(cycle=cycle, household=household, person=person, kind=kind)
        .first()
    ) or ConditionalityRecord(cycle=cycle, household=household, person=person, kind=kind)
    record.area_code = household.village_id
    record.result = result
    record.note = (note or "").strip()[:500]
    record.recorded_by = user
    stamp(record, user, record.note or _("Kewajiban dicatat"))
    record.save()
    return record


@transaction.atomic
def apply_conditionality(user: Any, cycle: Cycle) -> list[Enrolment]:
    """The scheme's consequence: an active KPM with at least N misses recorded since it became
    active (in cycles of the programme that ended after that day) is suspended, with the
    reason; the misses of this cycle name the consequence. Returns the KPM suspended."""
    require(user, PayCap.MANAGE, cycle.area_id)
    scheme = cycle.scheme
    limit = scheme.suspend_after_misses if scheme is not None else None
    if not limit:
        raise ValidationError(
            _("Skema penyaluran program ini tidak menetapkan akibat ketidakhadiran.")
        )
    misses = Count(
        "pk",
        filter=Q(
            result=ConditionalityResult.MISSED,
            cycle__programme_id=cycle.programme_id,
        ),
    )
    households = ConditionalityRecord.objects.filter(
        cycle=cycle, result=ConditionalityResult.MISSED
    ).values("household_id")
    candidates = Enrolment.objects.filter(
        programme_id=cycle.programme_id,
        status=EnrolmentStatus.ACTIVE,
        household_id__in=households,
        area_code__startswith=cycle.area_id,
    ).select_related("household", "programme")
    suspended = []
    today = timezone.localdate()
    for enrolment in candidates:
        counted = ConditionalityRecord.objects.filter(
            household_id=enrolment.household_id,
            cycle__period_end__gte=enrolment.status_since,
        ).aggregate(n=misses)["n"]
        if counted < limit:
            continue
        reason = _(
            "Ditangguhkan: %(n)s kali tidak memenuhi kewajiban %(programme)s (batas skema "
            "%(limit)s), terakhir pada siklus %(cycle)s."
        ) % {
            "n": counted,
            "programme": cycle.programme.code,
            "limit": limit,
            "cycle": cycle.name,
        }
        change_enrolment_status(
            user, enrolment, status=EnrolmentStatus.SUSPENDED, on=today, reason=reason
        )
        ConditionalityRecord.objects.filter(
            cycle=cycle, household_id=enrolment.household_id, result=ConditionalityResult.MISSED
        ).update(consequence=reason[:300])
        suspended.append(enrolment)
    return suspended
