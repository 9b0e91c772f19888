"""Graduation: the criteria of a programme in an area, the plan for one family (goals, steps,
facilitator), the graduation itself and the follow-up visits of the year after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import roles_with, user_can
from pandu.core.history import stamp
from pandu.core.querysets import area_ancestors, scope_of
from pandu.programs.actions import change_enrolment_status
from pandu.programs.models import Enrolment, Programme
from pandu.programs.models.enrolment import EnrolmentStatus
from pandu.regions.models import Area

from ..capabilities import ECap
from ..choices import Condition, CriterionKind, Pathway, PlanStatus
from ..criteria import assess
from ..dates import add_months
from ..models import FollowUp, GraduationCriterion, GraduationPlan, KubeGroup, PlanStep
from ._common import MAX_RUPIAH, past_date, raise_if, require, text

#: Follow-up visits after graduation, in months (configurable: PANDU_FOLLOW_UP_MONTHS).
FOLLOW_UP_MONTHS = (3, 6, 12)
#: A KPM that may get a plan and graduate: one in the programme, receiving or suspended.
PLANNED_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)


def follow_up_months() -> tuple[int, ...]:
    months = getattr(settings, "PANDU_FOLLOW_UP_MONTHS", FOLLOW_UP_MONTHS)
    return tuple(sorted({int(m) for m in months if int(m) > 0}))


# --- Criteria ---------------------------------------------------------------------------------

#: The bounds of each kind's threshold (None: the kind takes none).
THRESHOLDS: dict[str, tuple[int, int] | None] = {
    CriterionKind.DESIL_ABOVE: (1, 9),
    CriterionKind.INCOME_ABOVE: (1, MAX_RUPIAH),
    CriterionKind.BUSINESS_MONTHS: (1, 120),
    CriterionKind.SELF_DECLARED: None,
}


def _threshold(kind: str, raw: Any) -> Decimal | None:
    bounds = THRESHOLDS[kind]
    if bounds is None:
        if raw not in (None, ""):
            raise ValidationError(
                {"threshold": [_("Kriteria ini tidak memakai ambang; kosongkan ambangnya.")]}
            )
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        value = None
    low, high = bounds
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise ValidationError({"threshold": [_("Ambang harus bilangan bulat.")]})
    if not low <= value <= high:
        raise ValidationError(
            {
                "threshold": [
                    _("Ambang untuk kriteria ini harus antara %(low)s dan %(high)s.")
                    % {"low": low, "high": high}
                ]
            }
        )
    return value


def _require_criteria(user: Any, programme: Programme, area: Area | None) -> None:
    scope = scope_of(user)
    if not user_can(user, ECap.MANAGE) or scope is None:
        raise PermissionDenied
    if not Programme.objects.visible_to(user).filter(pk=programme.pk).exists():
        raise PermissionDenied
    if area is None and scope != "":
        raise PermissionDenied
    if area is not None and not area.code.startswith(scope):
        raise PermissionDenied


@transaction.atomic
def set_criterion(
    user: Any,
    *,
    programme: Programme,
    area: Area | None,
    kind: str,
    threshold: Any = None,
    required: bool = True,
    note: str = "",
) -> GraduationCriterion:
    """A criterion of ``programme`` for families in ``area``; one of the same kind that was in
    force there is ended (kept in the history), so a change is a new row."""
    _require_criteria(user, programme, area)
    if kind not in CriterionKind.values:
        raise ValidationError({"kind": [_("Pilih jenis kriteria.")]})
    value = _threshold(kind, threshold)
    for old in GraduationCriterion.objects.select_for_update().filter(
        programme=programme, area=area, kind=kind, active=True
    ):
        old.active = False
        stamp(old, user, _("Diganti kriteria baru"))
        old.save()
    criterion = GraduationCriterion(
        programme=programme,
        area=area,
        kind=kind,
        threshold=value,
        required=bool(required),
        note=text(note, 300),
    )
    stamp(criterion, user, _("Kriteria graduasi ditetapkan"))
    criterion.save()
    return criterion


@transaction.atomic
def end_criterion(user: Any, criterion: GraduationCriterion) -> GraduationCriterion:
    _require_criteria(user, criterion.programme, criterion.area)
    if not criterion.active:
        raise ValidationError(_("Kriteria ini sudah tidak berlaku."))
    criterion.active = False
    stamp(criterion, user, _("Kriteria graduasi dicabut"))
    criterion.save()
    return criterion


# --- The plan ---------------------------------------------------------------------------------


def facilitators_for(area_code: str):
    """Users who may accompany a family of ``area_code``: active, their role records visits,
    their area holds the village."""
    from pandu.accounts.models import User

    return User.objects.filter(
        is_active=True,
        role__in=roles_with(ECap.VISIT),
        area_id__in=[area_code, *area_ancestors(area_code)],
    ).order_by("first_name", "username")


def _check_facilitator(facilitator: Any, area_code: str, errors: dict[str, list[str]]) -> None:
    if facilitator is None or not facilitators_for(area_code).filter(pk=facilitator.pk).exists():
        errors["facilitator"] = [
            _(
                "Pilih pendamping (TKSK atau pekerja sosial) yang wilayah kerjanya mencakup desa "
                "ini."
            )
        ]


@dataclass(frozen=True)
class StepData:
    title: str
    due_on: date | None
    note: str = ""


def _clean_step(step: StepData, plan_day: date, errors: dict[str, list[str]]) -> None:
    if not text(step.title, 200):
        errors.setdefault("title", []).append(_("Tuliskan langkahnya."))
    if not isinstance(step.due_on, date):
        errors.setdefault("due_on", []).append(_("Target selesai wajib diisi."))
    elif step.due_on < plan_day:
        errors.setdefault("due_on", []).append(
            _("Target selesai tidak boleh sebelum rencana disusun (%(date)s).")
            % {"date": plan_day.strftime("%d-%m-%Y")}
        )
    elif step.due_on > add_months(plan_day, 60):
        errors.setdefault("due_on", []).append(
            _("Target selesai paling lambat lima tahun setelah rencana disusun.")
        )


def _plan_dates(plan: GraduationPlan, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    for name, label in (
        ("business_started_on", _("Tanggal usaha mulai berjalan")),
        ("self_declared_on", _("Tanggal pernyataan mampu")),
    ):
        if name not in data:
            continue
        value = data[name]
        if value in (None, ""):
            setattr(plan, name, None)
        elif (checked := past_date(value, name, str(label), errors)) is not None:
            setattr(plan, name, checked)


@transaction.atomic
def create_plan(
    user: Any,
    enrolment: Enrolment,
    *,
    facilitator: Any,
    goals: str,
    steps: Iterable[StepData] = (),
    business_started_on: date | None = None,
    self_declared_on: date | None = None,
) -> GraduationPlan:
    """A plan for an active (or suspended) KPM, with its goals, its facilitator and its first
    steps. One plan at a time: a running or fulfilled plan stops another."""
    require(user, ECap.ACCOMPANY, enrolment.area_code)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status not in PLANNED_STATUSES:
        raise ValidationError(
            _("Rencana graduasi hanya untuk KPM aktif atau ditangguhkan (status: %(status)s).")
            % {"status": enrolment.get_status_display()}
        )
    if GraduationPlan.objects.filter(
        enrolment=enrolment, status__in=[PlanStatus.ACTIVE, PlanStatus.GRADUATED]
    ).exists():
        raise ValidationError(_("KPM ini sudah punya rencana graduasi."))
    errors: dict[str, list[str]] = {}
    plan = GraduationPlan(
        enrolment=enrolment,
        area_code=enrolment.area_code,
        facilitator=facilitator,
        goals=text(goals, 4000),
        created_by=user,
    )
    if not plan.goals:
        errors["goals"] = [_("Tuliskan tujuan rencana graduasi.")]
    _check_facilitator(facilitator, enrolment.area_code, errors)
    _plan_dates(
        plan,
        {"business_started_on": business_started_on, "self_declared_on": self_declared_on},
        errors,
    )
    steps = list(steps)
    today = timezone.localdate()
    for step in steps:
        _clean_step(step, today, errors)
    raise_if(errors)
    stamp(plan, user, _("Rencana graduasi disusun"))
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError(_("KPM ini sudah punya rencana graduasi.")) from None
    for step in steps:
        assert step.due_on is not None  # _clean_step refused it otherwise
        row = PlanStep(plan=plan, title=text(step.title, 200), due_on=step.due_on)
        row.note = text(step.note, 500)
        stamp(row, user, _("Langkah rencana graduasi"))
        row.save()
    return plan


def _open_plan(user: Any, plan: GraduationPlan, cap: str) -> GraduationPlan:
    require(user, cap, plan.area_code)
    plan = GraduationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(
            _("Rencana ini berstatus '%(status)s'; tidak dapat diubah.")
            % {"status": plan.get_status_display()}
        )
    return plan


@transaction.atomic
def update_plan(user: Any, plan: GraduationPlan, **data: Any) -> GraduationPlan:
    """Goals, facilitator and the dates the criteria read, while the plan runs."""
    plan = _open_plan(user, plan, ECap.ACCOMPANY)
    errors: dict[str, list[str]] = {}
    if "goals" in data:
        plan.goals = text(data["goals"], 4000)
        if not plan.goals:
            errors["goals"] = [_("Tuliskan tujuan rencana graduasi.")]
    if "facilitator" in data:
        _check_facilitator(data["facilitator"], plan.area_code, errors)
        if "facilitator" not in errors:
            plan.facilitator = data["facilitator"]
    _plan_dates(plan, data, errors)
    raise_if(errors)
    stamp(plan, user, _("Rencana graduasi diubah"))
    plan.save()
    return plan


@transaction.atomic
def add_step(user: Any, plan: GraduationPlan, step: StepData) -> PlanStep:
    plan = _open_plan(user, plan, ECap.ACCOMPANY)
    errors: dict[str, list[str]] = {}
    _clean_step(step, timezone.localtime(plan.created_at).date(), errors)
    raise_if(errors)
    assert step.due_on is not None  # _clean_step refused it otherwise
    row = PlanStep(plan=plan, title=text(step.title, 200), due_on=step.due_on)
    row.note = text(step.note, 500)
    stamp(row, user, _("Langkah rencana graduasi ditambahkan"))
    row.save()
    return row


@transaction.atomic
def complete_step(user: Any, step: PlanStep, *, done_on: date | None, note: str = "") -> PlanStep:
    _open_plan(user, step.plan, ECap.ACCOMPANY)
    step = PlanStep.objects.select_for_update().get(pk=step.pk)
    if step.done_on is not None:
        raise ValidationError(_("Langkah ini sudah selesai."))
    errors: dict[str, list[str]] = {}
    day = past_date(done_on or timezone.localdate(), "done_on", _("Tanggal selesai"), errors)
    raise_if(errors)
    step.done_on = day
    if note:
        step.note = text(note, 500)
    stamp(step, user, _("Langkah rencana graduasi selesai"))
    step.save()
    return step


@transaction.atomic
def cancel_plan(user: Any, plan: GraduationPlan, reason: str) -> GraduationPlan:
    plan = _open_plan(user, plan, ECap.ACCOMPANY)
    if not text(reason, 500):
        raise ValidationError({"reason": [_("Tuliskan alasan pembatalan.")]})
    plan.status = PlanStatus.CANCELLED
    plan.closing_reason = text(reason, 500)
    stamp(plan, user, plan.closing_reason)
    plan.save()
    return plan


# --- Graduation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KubeJoin:
    """A graduated family joins a KUBE group: which member, with which business."""

    group: KubeGroup
    person: Any
    business: str = ""


@dataclass(frozen=True)
class UepData:
    """A graduated family's UEP grant."""

    amount: Any
    granted_on: date | None
    business: str
    sector: int | None = None
    recipient: Any = None


@transaction.atomic
def graduate_family(
    user: Any,
    plan: GraduationPlan,
    *,
    on: date | None,
    reason: str,
    pathway: str,
    kube: KubeJoin | None = None,
    uep: UepData | None = None,
) -> GraduationPlan:
    """The family meets the criteria: its enrolment moves to *graduasi* (the programme's own
    status change, with its checks and history), it goes on into a KUBE group, with a UEP
    grant, or on its own, and follow-up visits are due 3, 6 and 12 months later."""
    from .groups import add_member, record_uep_grant

    plan = _open_plan(user, plan, ECap.MANAGE)
    enrolment = plan.enrolment
    errors: dict[str, list[str]] = {}
    day = past_date(on or timezone.localdate(), "on", _("Tanggal graduasi"), errors)
    if not text(reason, 500):
        errors["reason"] = [_("Tuliskan dasar graduasi.")]
    if pathway not in Pathway.values:
        errors["pathway"] = [_("Pilih jalur pemberdayaan.")]
    elif pathway == Pathway.KUBE and kube is None:
        errors["kube_group"] = [_("Pilih kelompok KUBE dan anggota keluarga yang bergabung.")]
    elif pathway == Pathway.KUBE and kube is not None and not _in_family(kube.person, enrolment):
        errors["kube_person"] = [_("Pilih anggota keluarga ini yang bergabung dengan KUBE.")]
    elif pathway == Pathway.UEP and uep is None:
        errors["uep_amount"] = [_("Isi hibah UEP: nilai, tanggal dan usaha.")]
    raise_if(errors)
    assert day is not None
    if enrolment.status not in PLANNED_STATUSES:
        raise ValidationError(
            _("KPM ini berstatus '%(status)s'; hanya KPM aktif atau ditangguhkan yang lulus.")
            % {"status": enrolment.get_status_display()}
        )
    assessment = assess(plan, day)
    if not assessment.configured:
        raise ValidationError(
            _(
                "Belum ada kriteria graduasi %(programme)s yang berlaku untuk wilayah ini; "
                "tetapkan kriterianya lebih dulu."
            )
            % {"programme": enrolment.programme.code}
        )
    if not assessment.passed:
        raise ValidationError(assessment.shortfalls())
    change_enrolment_status(
        user, enrolment, status=EnrolmentStatus.GRADUATED, on=day, reason=text(reason, 500)
    )
    plan.status = PlanStatus.GRADUATED
    plan.graduated_on = day
    plan.graduated_by = user
    plan.pathway = pathway
    plan.closing_reason = text(reason, 500)
    stamp(plan, user, plan.closing_reason)
    plan.save()
    for months in follow_up_months():
        follow_up = FollowUp(plan=plan, months=months, due_on=add_months(day, months))
        stamp(follow_up, user, _("Pendampingan pasca-graduasi dijadwalkan"))
        follow_up.save()
    if pathway == Pathway.KUBE and kube is not None:
        try:
            add_member(
                user, kube.group, person=kube.person, business=kube.business, plan=plan, on=day
            )
        except ValidationError as exc:
            raise _prefixed(exc, "kube_") from None
    elif pathway == Pathway.UEP and uep is not None:
        try:
            record_uep_grant(
                user,
                enrolment.household,
                recipient=uep.recipient,
                amount=uep.amount,
                granted_on=uep.granted_on,
                business=uep.business,
                sector=uep.sector,
                plan=plan,
            )
        except ValidationError as exc:
            raise _prefixed(exc, "uep_") from None
    return plan


def _in_family(person: Any, enrolment: Enrolment) -> bool:
    return (
        person is not None
        and person.household_id == enrolment.household_id
        and person.status == "active"
    )


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    """A KUBE or UEP refusal under the graduation form's own field names."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed = {
        ("kube_group" if name == "group" and prefix == "kube_" else f"{prefix}{name}"): msgs
        for name, msgs in exc.message_dict.items()
    }
    return ValidationError(renamed)


# --- The year after -----------------------------------------------------------------------------


@transaction.atomic
def record_follow_up(
    user: Any,
    follow_up: FollowUp,
    *,
    done_on: date | None,
    condition: str,
    income_monthly: int | None = None,
    business_running: bool | None = None,
    note: str = "",
) -> FollowUp:
    """The visit 3, 6 or 12 months after graduation: how the family fares. Recorded once."""
    require(user, ECap.VISIT, follow_up.plan.area_code)
    follow_up = FollowUp.objects.select_for_update().select_related("plan").get(pk=follow_up.pk)
    if follow_up.done_on is not None:
        raise ValidationError(_("Kunjungan pendampingan ini sudah dicatat."))
    errors: dict[str, list[str]] = {}
    day = past_date(done_on, "done_on", _("Tanggal kunjungan"), errors)
    graduated = follow_up.plan.graduated_on
    if day is not None and graduated is not None and day < graduated:
        errors["done_on"] = [_("Tanggal kunjungan tidak boleh sebelum tanggal graduasi.")]
    if condition not in Condition.values:
        errors["condition"] = [_("Pilih kondisi keluarga.")]
    elif condition != Condition.INDEPENDENT and not text(note, 4000):
        errors["note"] = [_("Tuliskan dukungan apa yang diperlukan keluarga.")]
    if income_monthly is not None and not 0 <= int(income_monthly) <= MAX_RUPIAH:
        errors["income_monthly"] = [_("Pendapatan per bulan tidak masuk akal.")]
    raise_if(errors)
    follow_up.done_on = day
    follow_up.visited_by = user
    follow_up.condition = condition
    follow_up.income_monthly = income_monthly
    follow_up.business_running = business_running
    follow_up.note = text(note, 4000)
    stamp(follow_up, user, _("Pendampingan pasca-graduasi %(n)s bulan") % {"n": follow_up.months})
    follow_up.save()
    return follow_up
