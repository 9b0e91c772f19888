"""Changes to integrated programmes: set-up by the coordinator, activities, participants,
funding realisation and reports by the coordinator or the implementer's own focal point."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can
from pandu.core import versions
from pandu.core.querysets import scope_of
from pandu.core.uploads import check_upload
from pandu.registry.models import Person
from pandu.registry.validation import clean_nik

from .. import choices as c
from ..capabilities import PCap
from ..models import (
    Activity,
    FocalPoint,
    FundingLine,
    FundingRealisation,
    Implementer,
    IntegratedProgramme,
    MonitoringPlan,
    MonitoringReport,
    Participant,
)
from ._common import require, save, set_fields, text_list

PROGRAMME_FIELDS = {
    "title",
    "area",
    "coordinator",
    "designated_by",
    "decision_number",
    "decision_date",
    "reasons",
    "figures",
    "objectives",
    "expected_results",
    "legal_basis",
    "starts_on",
    "ends_on",
    "status",
}
LIST_FIELDS = ("reasons", "objectives", "expected_results", "legal_basis")
ACTIVITY_FIELDS = {
    "name",
    "description",
    "target_groups",
    "target_quantity",
    "target_unit",
    "starts_on",
    "ends_on",
    "location",
    "status",
    "outputs",
}
PROGRESS_FIELDS = {"status", "achieved_quantity", "outputs"}
LINE_FIELDS = {
    "source",
    "funder",
    "document_number",
    "document_date",
    "description",
    "planned_amount",
}
EVIDENCE_KINDS = ("pdf", "png", "jpeg", "webp")
EVIDENCE_MAX = 10 * 1024 * 1024


def _in_scope(user: Any, area_code: str) -> None:
    scope = scope_of(user)
    if not user_can(user, PCap.INTEGRATED_MANAGE) or scope is None:
        raise PermissionDenied
    if scope and not area_code.startswith(scope):
        raise PermissionDenied


def _clean_figures(value: Any) -> list[dict]:
    figures = []
    for item in value or []:
        if not isinstance(item, dict) or not str(item.get("label", "")).strip():
            raise ValidationError({"figures": [_("Setiap angka perlu keterangan (label).")]})
        figures.append(
            {
                "label": str(item["label"]).strip(),
                "value": item.get("value"),
                "unit": str(item.get("unit", "")).strip(),
            }
        )
    return figures


# --- the programme and its implementers (the coordinator) ------------------------------------


@transaction.atomic
def save_integrated_programme(
    user: Any,
    programme: IntegratedProgramme | None = None,
    *,
    seen: versions.Seen | None = None,
    **data: Any,
) -> IntegratedProgramme:
    """A new integrated programme, or ``data``'s changes to one; ``seen`` as in
    ``save_programme``."""
    if programme is not None:
        require(user, programme, "change")
        programme = versions.lock(programme, data, seen)
    obj = programme or IntegratedProgramme()
    set_fields(obj, data, PROGRAMME_FIELDS)
    for field in LIST_FIELDS:
        setattr(obj, field, text_list(getattr(obj, field)))
    obj.figures = _clean_figures(obj.figures)
    if obj.area_id is None:
        raise ValidationError({"area": [_("Pilih lokasi program.")]})
    _in_scope(user, obj.area_id)
    if obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": [_("Tanggal selesai sebelum tanggal mulai.")]})
    reason = _("Program terpadu diubah") if programme else _("Program terpadu dibuat")
    return save(obj, user, reason)


@transaction.atomic
def add_implementer(
    user: Any,
    programme: IntegratedProgramme,
    *,
    organisation,
    sub_programme: str,
    catalogue_programme=None,
    me_team: str = "",
) -> Implementer:
    require(user, programme, "change")
    if programme.implementers.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": [_("Lembaga ini sudah menjadi pelaksana program ini.")]}
        )
    implementer = Implementer(
        programme=programme,
        organisation=organisation,
        sub_programme=(sub_programme or "").strip(),
        catalogue_programme=catalogue_programme,
        me_team=me_team,
        order=programme.implementers.count() + 1,
    )
    return save(implementer, user, _("Pelaksana ditambahkan"))


@transaction.atomic
def link_focal_point(user: Any, implementer: Implementer, member, position: str = "") -> FocalPoint:
    """Make ``member`` the implementer's focal point: they see and update its activities."""
    require(user, implementer, "change")
    if not user_can(member, PCap.FOCAL_POINT):
        raise ValidationError(
            {"user": [_("Peran pengguna ini tidak dapat menjadi penanggung jawab pelaksana.")]}
        )
    link, _created = FocalPoint.objects.get_or_create(
        implementer=implementer, user=member, defaults={"position": position}
    )
    if not link.active or link.position != position:
        link.active = True
        link.position = position or link.position
        save(link, user, _("Penanggung jawab diaktifkan"))
    return link


@transaction.atomic
def end_focal_point(user: Any, link: FocalPoint) -> FocalPoint:
    require(user, link.implementer, "change")
    link.active = False
    return save(link, user, _("Penanggung jawab diakhiri"))


# --- activities and participants (the coordinator or the implementer's focal point) -----------


def _clean_activity(activity: Activity) -> None:
    groups = list(dict.fromkeys(activity.target_groups or []))
    unknown = [g for g in groups if g not in c.TargetGroup.values]
    if unknown:
        raise ValidationError({"target_groups": [_("Kelompok sasaran tidak dikenal.")]})
    activity.target_groups = groups
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        raise ValidationError({"ends_on": [_("Tanggal selesai sebelum tanggal mulai.")]})
    if activity.location_id and not activity.location_id.startswith(
        activity.implementer.programme.area_id
    ):
        raise ValidationError({"location": [_("Lokasi kegiatan di luar wilayah program.")]})


@transaction.atomic
def save_activity(
    user: Any, implementer: Implementer, activity: Activity | None = None, **data: Any
) -> Activity:
    require(user, implementer, "work")
    if activity is not None and activity.implementer_id != implementer.pk:
        raise PermissionDenied
    obj = activity or Activity(implementer=implementer)
    set_fields(obj, data, ACTIVITY_FIELDS)
    if obj.location_id is None:
        obj.location_id = implementer.programme.area_id
    _clean_activity(obj)
    return save(obj, user, _("Kegiatan diubah") if activity else _("Kegiatan ditambahkan"))


@transaction.atomic
def record_progress(user: Any, activity: Activity, **data: Any) -> Activity:
    """Status, how much of the target was reached, what came out of it."""
    require(user, activity, "work")
    set_fields(activity, data, PROGRESS_FIELDS)
    return save(activity, user, _("Perkembangan kegiatan dicatat"))


@transaction.atomic
def add_registry_participant(
    user: Any, activity: Activity, *, nik: str, group: str, attendance: str = "diundang"
) -> Participant:
    """A registry person picked by NIK, among those the user may see in the registry."""
    require(user, activity, "work")
    nik, _checked = clean_nik(nik)
    person = Person.objects.visible_to(user).filter(nik=nik).first()
    if person is None:
        raise ValidationError(
            {
                "nik": [
                    _(
                        "NIK ini tidak ditemukan pada registri yang dapat Anda lihat. Tambahkan "
                        "peserta dengan nama."
                    )
                ]
            }
        )
    if activity.participants.filter(person=person).exists():
        raise ValidationError({"nik": [_("Orang ini sudah tercatat sebagai peserta.")]})
    participant = Participant(
        activity=activity, person=person, name=person.full_name, group=group, attendance=attendance
    )
    try:
        with transaction.atomic():
            return save(participant, user, _("Peserta dari registri ditambahkan"))
    except IntegrityError:
        raise ValidationError({"nik": [_("Orang ini sudah tercatat sebagai peserta.")]}) from None


@transaction.atomic
def add_named_participant(
    user: Any,
    activity: Activity,
    *,
    name: str,
    group: str,
    affiliation: str = "",
    attendance: str = "diundang",
) -> Participant:
    """Someone outside the registry (a village official, a PKK member), by name."""
    require(user, activity, "work")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Nama peserta wajib diisi.")]})
    participant = Participant(
        activity=activity, name=name, group=group, affiliation=affiliation, attendance=attendance
    )
    return save(participant, user, _("Peserta ditambahkan"))


@transaction.atomic
def set_attendance(user: Any, participant: Participant, attendance: str) -> Participant:
    require(user, participant, "work")
    if attendance not in c.Attendance.values:
        raise ValidationError({"attendance": [_("Pilihan kehadiran tidak dikenal.")]})
    participant.attendance = attendance
    return save(participant, user, _("Kehadiran dicatat"))


# --- funding --------------------------------------------------------------------------------


@transaction.atomic
def add_funding_line(
    user: Any,
    programme: IntegratedProgramme,
    *,
    implementer: Implementer | None = None,
    activity: Activity | None = None,
    **data: Any,
) -> FundingLine:
    """A line for the whole programme (the coordinator), or an implementer's or an activity's
    (also that implementer's focal point)."""
    if activity is not None:
        implementer = activity.implementer
    if implementer is not None:
        if implementer.programme_id != programme.pk:
            raise ValidationError({"implementer": [_("Pelaksana bukan bagian program ini.")]})
        require(user, implementer, "work")
    else:
        require(user, programme, "change")
    line = FundingLine(programme=programme, implementer=implementer, activity=activity)
    set_fields(line, data, LINE_FIELDS)
    if line.source not in c.FundingSource.values:
        raise ValidationError({"source": [_("Sumber dana tidak dikenal.")]})
    return save(line, user, _("Sumber pendanaan ditambahkan"))


@transaction.atomic
def record_realisation(
    user: Any,
    line: FundingLine,
    *,
    period_start,
    period_end,
    amount,
    note: str = "",
    evidence=None,
) -> FundingRealisation:
    require(user, line, "work")
    if period_end < period_start:
        raise ValidationError({"period_end": [_("Akhir periode sebelum awal periode.")]})
    if amount is None or amount < 0:
        raise ValidationError({"amount": [_("Isi nilai realisasi (Rp), tidak negatif.")]})
    row = FundingRealisation(
        line=line,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        note=note,
        recorded_by=user,
    )
    if evidence:
        kind = check_upload(evidence, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX)
        row.evidence_name = (getattr(evidence, "name", "") or f"bukti.{kind}")[:200]
        row.evidence.save(f"{row.uid}.{kind}", evidence, save=False)
    return save(row, user, _("Realisasi dana dicatat"))


# --- monitoring and evaluation ----------------------------------------------------------------


@transaction.atomic
def add_monitoring_plan(
    user: Any,
    programme: IntegratedProgramme,
    *,
    kind: str,
    team: str,
    implementer: Implementer | None = None,
    description: str = "",
) -> MonitoringPlan:
    require(user, programme, "change")
    plan = MonitoringPlan(
        programme=programme,
        kind=kind,
        team=(team or "").strip(),
        implementer=implementer,
        description=description,
    )
    return save(plan, user, _("Rencana monitoring dan evaluasi ditambahkan"))


@transaction.atomic
def submit_monitoring_report(
    user: Any,
    programme: IntegratedProgramme,
    *,
    kind: str,
    period_start,
    period_end,
    summary: str,
    findings: str = "",
    implementer: Implementer | None = None,
    plan: MonitoringPlan | None = None,
    file=None,
) -> MonitoringReport:
    """The coordinator reports on anything; a focal point on its own implementer only."""
    if implementer is not None:
        if implementer.programme_id != programme.pk:
            raise ValidationError({"implementer": [_("Pelaksana bukan bagian program ini.")]})
        require(user, implementer, "work")
    else:
        require(user, programme, "change")
    if plan is not None and plan.programme_id != programme.pk:
        raise ValidationError({"plan": [_("Rencana bukan bagian program ini.")]})
    if period_end < period_start:
        raise ValidationError({"period_end": [_("Akhir periode sebelum awal periode.")]})
    if not (summary or "").strip():
        raise ValidationError({"summary": [_("Ringkasan laporan wajib diisi.")]})
    report = MonitoringReport(
        programme=programme,
        plan=plan,
        implementer=implementer,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        summary=summary.strip(),
        findings=findings,
        submitted_by=user,
    )
    if file:
        found = check_upload(file, kinds=("pdf", "xlsx", "png", "jpeg"), max_bytes=EVIDENCE_MAX)
        report.file_name = (getattr(file, "name", "") or f"laporan.{found}")[:200]
        report.file.save(f"{report.uid}.{found}", file, save=False)
    return save(report, user, _("Laporan monitoring dan evaluasi dikirim"))
