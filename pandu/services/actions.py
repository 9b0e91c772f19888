"""Every change to the one-stop service: checked against the acting user's role, area and relation
to the case, validated, written in one transaction, and recorded (simple-history for the record,
``CaseEvent`` for the case's trail)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap, Role
from pandu.regions.models import Area, Level

from . import choices as c
from . import tallies
from .assessment import clean_answers, missing_answers
from .models import (
    Agreement,
    AgreementExtension,
    Assessment,
    Case,
    CaseEvent,
    CaseNote,
    CounsellingSession,
    Counter,
    Goal,
    Holiday,
    Intake,
    IntakeNeed,
    Notification,
    PartnerAgency,
    PartnerMembership,
    PartnerService,
    PlanAction,
    Referral,
    ReferralAttachment,
    ServicePoint,
    ServicePointStaff,
    Task,
)
from .permissions import CASEWORKER_ROLES, SCap, can
from .queries import is_supervisor_of
from .workdays import add_working_days

MAX_UPLOAD = 10 * 1024 * 1024
NOTICE_DAYS = 30
CHILD_AGE = 18


# --- Shared helpers ---------------------------------------------------------------------------


def _require(user, cap: str, area_code: str | None = None) -> None:
    if not can(user, cap) or (area_code is not None and not user.in_scope(area_code)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def _stamp(obj, user, reason: str = "") -> None:
    obj._history_user = user
    obj._change_reason = reason or ""


def _save(obj, user, reason: str = "", **kwargs) -> None:
    _stamp(obj, user, reason)
    if isinstance(obj, Intake):
        with tallies.intake_change(obj):  # the dashboard's monthly counts follow the intake
            obj.save(**kwargs)
    else:
        obj.save(**kwargs)


def _event(case: Case, user, kind: str, detail: str = "", *, referral=None, status="") -> None:
    CaseEvent.objects.create(
        case=case, actor=user, kind=kind, detail=detail[:2000], referral=referral, status=status
    )


def _today() -> date:
    return timezone.localdate()


def _not_past(value: date | None, field: str) -> None:
    if value is not None and value < _today():
        raise ValidationError({field: _("Tanggal tidak boleh di masa lalu.")})


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > _today():
        raise ValidationError({field: _("Tanggal tidak boleh di masa depan.")})


def _required_text(value: str, field: str, message: str | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message or _("Wajib diisi.")})
    return value


def add_years(d: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    year = d.year + years
    day = min(d.day, calendar.monthrange(year, d.month)[1])
    return d.replace(year=year, day=day)


def next_number(kind: str, regency: str, year: int) -> int:
    """The next number of a sequence, safe when two desks ask at the same moment.

    The UPDATE takes the row's write lock (PostgreSQL) or the database's (SQLite, IMMEDIATE
    transactions) until the surrounding transaction commits, so no two callers get one number.
    """
    with transaction.atomic():
        rows = Counter.objects.filter(kind=kind, regency=regency, year=year)
        if not rows.update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(kind=kind, regency=regency, year=year, last=1)
                return 1
            except IntegrityError:
                rows.update(last=F("last") + 1)
        return rows.values_list("last", flat=True).get()


def check_upload(file, *, pdf_only: bool = False) -> str:
    """Size at most 10 MB; a PDF (or, for attachments, a JPEG/PNG) by its first bytes."""
    if file is None:
        raise ValidationError(_("Pilih berkas."))
    if file.size > MAX_UPLOAD:
        raise ValidationError(_("Berkas terlalu besar: paling besar 10 MB."))
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if pdf_only:
        raise ValidationError(_("Berkas harus PDF."))
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    raise ValidationError(_("Berkas harus PDF, JPG atau PNG."))


def notify(users: Iterable, kind: str, title: str, body: str = "", url: str = "") -> int:
    rows = [
        Notification(user=u, kind=kind, title=title[:200], body=body, url=url[:300])
        for u in {u.pk: u for u in users if u is not None}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


# --- Service points ---------------------------------------------------------------------------

POINT_FIELDS = {"name", "kind", "area", "address", "phone", "opening_hours", "active"}


def _check_point(kind: str, area: Area) -> None:
    if kind == c.PointKind.SLRT and area.level != Level.REGENCY:
        raise ValidationError(
            {"area": _("Sekretariat SLRT berkedudukan di kabupaten/kota: pilih kabupaten/kota.")}
        )
    if kind == c.PointKind.PUSKESOS and area.level not in (Level.DISTRICT, Level.VILLAGE):
        raise ValidationError(
            {"area": _("Puskesos berkedudukan di kecamatan atau desa/kelurahan.")}
        )


def create_service_point(user, **data) -> ServicePoint:
    area: Area = data["area"]
    _require(user, SCap.SETUP_MANAGE, area.code)
    _check_point(data["kind"], area)
    point = ServicePoint(**{k: v for k, v in data.items() if k in POINT_FIELDS})
    point.name = _required_text(point.name, "name")
    with transaction.atomic():
        _save(point, user, _("Titik layanan dibuat"))
    return point


def update_service_point(user, point: ServicePoint, **data) -> ServicePoint:
    _require(user, SCap.SETUP_MANAGE, point.area_id)
    for key, value in data.items():
        if key in POINT_FIELDS:
            setattr(point, key, value)
    _require(user, SCap.SETUP_MANAGE, point.area_id)
    _check_point(point.kind, point.area)
    with transaction.atomic():
        _save(point, user, _("Titik layanan diubah"))
    return point


def _areas_overlap(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return a.startswith(b) or b.startswith(a)


def add_staff(user, point: ServicePoint, member, role: str) -> ServicePointStaff:
    _require(user, SCap.SETUP_MANAGE, point.area_id)
    if role not in c.StaffRole.values:
        raise ValidationError({"role": _("Peran tidak dikenal.")})
    if not member.is_active or member.role == Role.PARTNER:
        raise ValidationError({"user": _("Pengguna ini tidak dapat menjadi petugas layanan.")})
    if not _areas_overlap(member.scope_code, point.area_id):
        raise ValidationError(
            {"user": _("Wilayah kerja pengguna ini tidak mencakup titik layanan tersebut.")}
        )
    if ServicePointStaff.objects.filter(
        service_point=point, user=member, role=role, ended_on__isnull=True
    ).exists():
        raise ValidationError({"user": _("Pengguna ini sudah bertugas dengan peran tersebut.")})
    post = ServicePointStaff(service_point=point, user=member, role=role, started_on=_today())
    with transaction.atomic():
        _save(post, user, _("Petugas ditambahkan"))
    return post


def end_staff(user, post: ServicePointStaff, ended_on: date | None = None) -> ServicePointStaff:
    _require(user, SCap.SETUP_MANAGE, post.service_point.area_id)
    post.ended_on = ended_on or _today()
    with transaction.atomic():
        _save(post, user, _("Tugas berakhir"))
    return post


# --- Partners ---------------------------------------------------------------------------------

PARTNER_FIELDS = {"name", "kind", "area", "address", "phone", "email", "contact_person", "active"}
SERVICE_FIELDS = {"name", "description", "need_areas", "respond_days", "complete_days", "active"}


def create_partner(user, **data) -> PartnerAgency:
    _require(user, SCap.SETUP_MANAGE, data["area"].code)
    agency = PartnerAgency(**{k: v for k, v in data.items() if k in PARTNER_FIELDS})
    agency.name = _required_text(agency.name, "name")
    with transaction.atomic():
        _save(agency, user, _("Mitra dibuat"))
    return agency


def update_partner(user, agency: PartnerAgency, **data) -> PartnerAgency:
    _require(user, SCap.SETUP_MANAGE, agency.area_id)
    for key, value in data.items():
        if key in PARTNER_FIELDS:
            setattr(agency, key, value)
    _require(user, SCap.SETUP_MANAGE, agency.area_id)
    with transaction.atomic():
        _save(agency, user, _("Mitra diubah"))
    return agency


def _clean_service(data: dict) -> dict:
    needs = list(dict.fromkeys(data.get("need_areas") or []))
    if not needs:
        raise ValidationError({"need_areas": _("Pilih sekurang-kurangnya satu bidang kebutuhan.")})
    unknown = [n for n in needs if n not in c.NeedArea.values]
    if unknown:
        raise ValidationError({"need_areas": _("Bidang kebutuhan tidak dikenal.")})
    data["need_areas"] = needs
    for key, upper in (("respond_days", 60), ("complete_days", 365)):
        value = data.get(key)
        if value is not None and not 1 <= int(value) <= upper:
            raise ValidationError({key: _("Isi antara 1 dan %(n)s hari kerja.") % {"n": upper}})
    return data


def save_partner_service(
    user, agency: PartnerAgency, service: PartnerService | None = None, **data
) -> PartnerService:
    _require(user, SCap.SETUP_MANAGE, agency.area_id)
    data = _clean_service(data)
    areas_served = data.pop("areas_served", None)
    if service is None:
        service = PartnerService(agency=agency)
    for key, value in data.items():
        if key in SERVICE_FIELDS:
            setattr(service, key, value)
    service.name = _required_text(service.name, "name")
    with transaction.atomic():
        _save(service, user, _("Layanan mitra disimpan"))
        if areas_served is not None:
            service.areas_served.set(areas_served)
    return service


def add_partner_member(
    user, agency: PartnerAgency, member, position: str = ""
) -> PartnerMembership:
    _require(user, SCap.SETUP_MANAGE, agency.area_id)
    if member.role != Role.PARTNER:
        raise ValidationError(
            {"user": _("Hanya pengguna dengan peran Mitra yang dapat menjadi anggota mitra.")}
        )
    existing = PartnerMembership.objects.filter(user=member).first()
    if existing is not None and existing.agency_id != agency.pk and existing.active:
        raise ValidationError({"user": _("Pengguna ini sudah menjadi anggota mitra lain.")})
    membership = existing or PartnerMembership(user=member)
    membership.agency = agency
    membership.position = position
    membership.active = True
    with transaction.atomic():
        _save(membership, user, _("Anggota mitra ditambahkan"))
    return membership


def end_partner_member(user, membership: PartnerMembership) -> PartnerMembership:
    _require(user, SCap.SETUP_MANAGE, membership.agency.area_id)
    membership.active = False
    with transaction.atomic():
        _save(membership, user, _("Keanggotaan mitra berakhir"))
    return membership


# --- Agreements -------------------------------------------------------------------------------


def create_agreement(user, *, document=None, **data) -> Agreement:
    area: Area = data["area"]
    _require(user, SCap.SETUP_MANAGE, area.code)
    term = int(data.get("term_years") or 5)
    if term < 1:
        raise ValidationError({"term_years": _("Jangka waktu sekurang-kurangnya 1 tahun.")})
    starts_on = data.get("starts_on") or data["signed_on"]
    if starts_on < data["signed_on"]:
        raise ValidationError(
            {"starts_on": _("Tanggal mulai berlaku tidak boleh sebelum penandatanganan.")}
        )
    _not_future(data["signed_on"], "signed_on")
    agreement = Agreement(
        number=_required_text(data.get("number", ""), "number"),
        title=_required_text(data.get("title", ""), "title"),
        agency=data.get("agency"),
        parties=_required_text(data.get("parties", ""), "parties"),
        area=area,
        signed_on=data["signed_on"],
        starts_on=starts_on,
        term_years=term,
        ends_on=add_years(starts_on, term) - timedelta(days=1),
    )
    if document is not None:
        check_upload(document, pdf_only=True)
        agreement.document = document
    with transaction.atomic():
        _save(agreement, user, _("Perjanjian dicatat"))
    return agreement


def attach_agreement_document(user, agreement: Agreement, document) -> Agreement:
    _require(user, SCap.SETUP_MANAGE, agreement.area_id)
    check_upload(document, pdf_only=True)
    agreement.document = document
    with transaction.atomic():
        _save(agreement, user, _("Dokumen perjanjian dilampirkan"))
    return agreement


def extend_agreement(
    user,
    agreement: Agreement,
    *,
    signed_on: date,
    years: int | None = None,
    new_end: date | None = None,
    reference: str = "",
) -> AgreementExtension:
    _require(user, SCap.SETUP_MANAGE, agreement.area_id)
    if agreement.terminated_on is not None:
        raise ValidationError(_("Perjanjian yang sudah diakhiri tidak dapat diperpanjang."))
    _not_future(signed_on, "signed_on")
    if new_end is None:
        new_end = add_years(agreement.ends_on + timedelta(days=1), years or agreement.term_years)
        new_end -= timedelta(days=1)
    if new_end <= agreement.ends_on:
        raise ValidationError(
            {"new_end": _("Tanggal berakhir yang baru harus sesudah tanggal berakhir sekarang.")}
        )
    with transaction.atomic():
        extension = AgreementExtension.objects.create(
            agreement=agreement,
            signed_on=signed_on,
            reference=reference,
            previous_end=agreement.ends_on,
            new_end=new_end,
            recorded_by=user,
        )
        agreement.ends_on = new_end
        _save(agreement, user, _("Perjanjian diperpanjang"))
    return extension


def terminate_agreement(
    user,
    agreement: Agreement,
    *,
    notice_on: date,
    terminated_on: date,
    reason: str,
    notice_reference: str = "",
) -> Agreement:
    """End an agreement early: only with written notice at least 30 calendar days ahead."""
    _require(user, SCap.SETUP_MANAGE, agreement.area_id)
    if agreement.terminated_on is not None:
        raise ValidationError(_("Perjanjian ini sudah diakhiri."))
    if agreement.ends_on < _today():
        raise ValidationError(_("Perjanjian ini sudah berakhir dengan sendirinya."))
    reason = _required_text(reason, "reason", _("Tuliskan alasan pengakhiran."))
    _not_future(notice_on, "notice_on")
    if terminated_on > agreement.ends_on:
        raise ValidationError(
            {"terminated_on": _("Tanggal pengakhiran melewati masa berlaku perjanjian.")}
        )
    given = (terminated_on - notice_on).days
    if given < NOTICE_DAYS:
        earliest = notice_on + timedelta(days=NOTICE_DAYS)
        raise ValidationError(
            {
                "terminated_on": _(
                    "Pengakhiran lebih awal memerlukan pemberitahuan tertulis sekurang-kurangnya "
                    "30 hari kalender sebelumnya; pemberitahuan ini baru %(given)s hari. Dengan "
                    "pemberitahuan tanggal %(notice)s, perjanjian paling cepat dapat diakhiri "
                    "pada %(earliest)s."
                )
                % {
                    "given": given,
                    "notice": notice_on.strftime("%d-%m-%Y"),
                    "earliest": earliest.strftime("%d-%m-%Y"),
                }
            }
        )
    agreement.notice_on = notice_on
    agreement.notice_reference = notice_reference
    agreement.terminated_on = terminated_on
    agreement.termination_reason = reason
    with transaction.atomic():
        _save(agreement, user, _("Pengakhiran perjanjian dicatat"))
    return agreement


# --- Holidays ---------------------------------------------------------------------------------


def add_holiday(user, *, on: date, name: str) -> Holiday:
    """A national holiday or collective leave day (SKB tiga menteri): not a working day."""
    _require(user, SCap.SETUP_MANAGE)
    name = _required_text(name, "name")
    if Holiday.objects.filter(date=on).exists():
        raise ValidationError({"on": _("Tanggal ini sudah tercatat sebagai hari libur.")})
    return Holiday.objects.create(date=on, name=name[:150])


def remove_holiday(user, holiday: Holiday) -> None:
    _require(user, SCap.SETUP_MANAGE)
    holiday.delete()


# --- Intake -----------------------------------------------------------------------------------


class DuplicateIntake(ValidationError):
    """An open intake exists for the same person and need; the user must confirm to go on."""

    def __init__(self, duplicates: list[Intake]):
        super().__init__(
            _("Sudah ada pengaduan/permohonan terbuka untuk orang dan kebutuhan yang sama."),
            code="duplicate",
        )
        self.duplicates = duplicates


@dataclass
class Subject:
    """Who the intake is about: a registry person, or details told at the desk."""

    person: Any = None
    name: str = ""
    nik: str = ""
    sex: str = ""
    birth_date: date | None = None
    village: Area | None = None
    address: str = ""
    phone: str = ""
    propose_to_registry: bool = False


def find_duplicates(user, subject: Subject, needs: Iterable[str]) -> list[Intake]:
    """Open intakes the user can see, for the same person and one of the same needs."""
    needs = list(needs)
    qs = Intake.objects.visible_to(user).open().filter(needs__area__in=needs)
    if subject.person is not None:
        match = Q(person=subject.person)
    else:
        match = Q(name__iexact=subject.name.strip(), birth_date=subject.birth_date)
        if subject.nik:
            match |= Q(nik=subject.nik)
    return list(qs.filter(match).distinct().prefetch_related("needs").order_by("-received_at"))


def _clean_subject(user, subject: Subject) -> tuple[Subject, str]:
    from pandu.registry.models import Person
    from pandu.registry.validation import clean_birth_date, clean_name, clean_nik

    if subject.person is not None:
        person = subject.person
        if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
            raise PermissionDenied(_("Penduduk ini tidak ada di wilayah Anda."))
        subject.name = person.full_name
        subject.nik = ""
        subject.sex = person.sex
        subject.birth_date = person.birth_date
        area_code = person.area_code
        subject.propose_to_registry = False
        return subject, area_code
    errors: dict[str, list] = {}
    try:
        subject.name = clean_name(subject.name)
    except ValidationError as e:
        errors["name"] = e.messages
    try:
        subject.birth_date = clean_birth_date(subject.birth_date)
    except ValidationError as e:
        errors["birth_date"] = e.messages
    if subject.nik:
        try:
            subject.nik, _result = clean_nik(
                subject.nik, birth_date=subject.birth_date, sex=subject.sex or None
            )
        except ValidationError as e:
            errors["nik"] = e.messages
        else:
            if Person.objects.visible_to(user).filter(nik=subject.nik).exists():
                errors["nik"] = [
                    _("NIK ini sudah terdaftar di registri: pilih orangnya dari hasil pencarian.")
                ]
    if subject.village is None:
        errors["village"] = [_("Pilih desa/kelurahan tempat tinggalnya.")]
    elif subject.village.level != Level.VILLAGE:
        errors["village"] = [_("Pilih desa/kelurahan, bukan wilayah yang lebih luas.")]
    elif not user.in_scope(subject.village.code):
        errors["village"] = [_("Desa/kelurahan ini di luar wilayah kerja Anda.")]
    if errors:
        raise ValidationError(errors)
    assert subject.village is not None
    return subject, subject.village.code


def create_intake(
    user,
    *,
    service_point: ServicePoint,
    kind: str,
    channel: str,
    subject: Subject,
    needs: list[tuple[str, str]],
    description: str,
    since: date | None = None,
    urgency: str = c.Urgency.NORMAL,
    sensitive_topic: str = "",
    ppks_categories: Iterable = (),
    reporter_name: str = "",
    reporter_relationship: str = "",
    confirm_duplicate: bool = False,
) -> Intake:
    """Record a complaint/request and give it a ticket number, e.g. ``SLRT-7309-2026-000123``."""
    from pandu.registry.queries import ppks_categories_for

    _require(user, SCap.INTAKE)
    if not ServicePoint.objects.visible_to(user).filter(pk=service_point.pk, active=True).exists():
        raise PermissionDenied(_("Titik layanan ini bukan tempat Anda bertugas."))
    errors: dict[str, list] = {}
    if kind not in c.IntakeKind.values:
        errors["kind"] = [_("Pilih jenis.")]
    if channel not in c.Channel.values:
        errors["channel"] = [_("Pilih saluran.")]
    if urgency not in c.Urgency.values:
        errors["urgency"] = [_("Pilih tingkat urgensi.")]
    if sensitive_topic not in c.SensitiveTopic.values:
        errors["sensitive_topic"] = [_("Pilihan tidak dikenal.")]
    need_areas = [area for area, _detail in needs]
    if not need_areas:
        errors["needs"] = [_("Pilih sekurang-kurangnya satu bidang kebutuhan.")]
    elif any(a not in c.NeedArea.values for a in need_areas) or len(set(need_areas)) != len(
        need_areas
    ):
        errors["needs"] = [_("Bidang kebutuhan tidak dikenal atau tercantum dua kali.")]
    if not (description or "").strip():
        errors["description"] = [_("Uraikan keluhan atau permohonannya.")]
    if since is not None and since > _today():
        errors["since"] = [_("Tanggal tidak boleh di masa depan.")]
    categories = list(ppks_categories)
    allowed = set(ppks_categories_for(user).values_list("pk", flat=True))
    if any(cat.pk not in allowed for cat in categories):
        errors["ppks_categories"] = [_("Kategori PPKS ini tidak dapat Anda pilih.")]
    try:
        subject, area_code = _clean_subject(user, subject)
    except ValidationError as e:
        for field, msgs in e.message_dict.items():
            errors.setdefault(field, []).extend(msgs)
        area_code = ""
    if errors:
        raise ValidationError(errors)
    if not user.in_scope(area_code):
        raise PermissionDenied(_("Penduduk ini tidak ada di wilayah Anda."))
    if not confirm_duplicate:
        duplicates = find_duplicates(user, subject, need_areas)
        if duplicates:
            raise DuplicateIntake(duplicates)
    sensitive = (
        bool(sensitive_topic)
        or any(a in c.SENSITIVE_NEEDS for a in need_areas)
        or any(cat.sensitive for cat in categories)
    )
    now = timezone.now()
    regency = service_point.regency_code.replace(".", "")
    assert subject.birth_date is not None
    with transaction.atomic():
        serial = next_number("SLRT", regency, now.year)
        intake = Intake(
            ticket_number=f"SLRT-{regency}-{now.year}-{serial:06d}",
            service_point=service_point,
            area_code=area_code,
            kind=kind,
            channel=channel,
            person=subject.person,
            name=subject.name,
            nik=subject.nik,
            sex=subject.sex,
            birth_date=subject.birth_date,
            address=subject.address,
            phone=subject.phone,
            propose_to_registry=subject.propose_to_registry and subject.person is None,
            reporter_name=reporter_name,
            reporter_relationship=reporter_relationship,
            description=description.strip(),
            since=since,
            urgency=urgency,
            sensitive_topic=sensitive_topic,
            sensitive=sensitive,
            received_by=user,
            received_at=now,
            queue_status=(
                c.QueueStatus.WAITING if channel == c.Channel.WALK_IN else c.QueueStatus.SERVED
            ),
        )
        _save(intake, user, _("Pengaduan/permohonan diterima"))
        IntakeNeed.objects.bulk_create(
            [IntakeNeed(intake=intake, area=area, detail=detail[:300]) for area, detail in needs]
        )
        tallies.needs_added(intake, [area for area, _detail in needs])
        if categories:
            intake.ppks_categories.set(categories)
    return intake


def _intake_in_reach(user, intake: Intake) -> None:
    if not Intake.objects.visible_to(user).filter(pk=intake.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def set_queue_status(user, intake: Intake, status: str) -> Intake:
    _require(user, SCap.INTAKE)
    _intake_in_reach(user, intake)
    if status not in c.QueueStatus.values:
        raise ValidationError(_("Status antrean tidak dikenal."))
    intake.queue_status = status
    with transaction.atomic():
        _save(intake, user, _("Antrean diperbarui"))
    return intake


def _first_action(intake: Intake, when=None) -> None:
    if intake.first_action_at is None:
        Intake.objects.filter(pk=intake.pk, first_action_at__isnull=True).update(
            first_action_at=when or timezone.now()
        )
        intake.first_action_at = when or timezone.now()


def resolve_at_desk(user, intake: Intake, resolution: str) -> Intake:
    """Close an intake answered at the desk (information given, no case needed)."""
    _require(user, SCap.INTAKE)
    _intake_in_reach(user, intake)
    if intake.status != c.IntakeStatus.NEW:
        raise ValidationError(_("Hanya pengaduan yang belum ditangani yang dapat diselesaikan."))
    resolution = _required_text(resolution, "resolution", _("Tuliskan penyelesaiannya."))
    now = timezone.now()
    intake.status = c.IntakeStatus.CLOSED
    intake.resolution = resolution
    intake.closed_at = now
    intake.queue_status = c.QueueStatus.SERVED
    with transaction.atomic():
        _first_action(intake, now)
        _save(intake, user, _("Diselesaikan di loket"))
    return intake


# --- Cases ------------------------------------------------------------------------------------


def _check_worker(case_area: str, worker) -> None:
    if worker is None or not worker.is_active or worker.role not in CASEWORKER_ROLES:
        raise ValidationError({"assign_to": _("Pilih pekerja sosial atau TKSK yang aktif.")})
    if not worker.in_scope(case_area):
        raise ValidationError(
            {"assign_to": _("Wilayah kerja petugas ini tidak mencakup tempat tinggal orangnya.")}
        )


def caseworkers_for(area_code: str):
    """Users who may be assigned a case living in ``area_code``."""
    from pandu.accounts.models import User

    prefixes = [area_code[:n] for n in (2, 5, 8, 13) if n <= len(area_code)]
    return User.objects.filter(is_active=True, role__in=CASEWORKER_ROLES, area_id__in=prefixes)


def open_case(user, intake: Intake, *, assign_to=None) -> Case:
    """Turn an intake into a case (and, usually, route it to a worker straight away)."""
    if not (can(user, SCap.INTAKE) or can(user, SCap.CASE_WORK)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))
    _intake_in_reach(user, intake)
    if intake.status != c.IntakeStatus.NEW or Case.objects.filter(intake=intake).exists():
        raise ValidationError(_("Pengaduan ini sudah ditangani atau sudah selesai."))
    if assign_to is not None:
        _check_worker(intake.area_code, assign_to)
    now = timezone.now()
    with transaction.atomic():
        case = Case(
            intake=intake,
            service_point=intake.service_point,
            area_code=intake.area_code,
            sensitive=intake.sensitive,
            opened_by=user,
        )
        if assign_to is not None:
            case.assigned_to = assign_to
            case.assigned_at = now
        _save(case, user, _("Kasus dibuka"))
        intake.status = c.IntakeStatus.IN_CASE
        intake.queue_status = c.QueueStatus.SERVED
        _save(intake, user, _("Kasus dibuka"))
        _event(case, user, c.EventKind.OPENED, intake.ticket_number)
        if assign_to is not None:
            _event(
                case, user, c.EventKind.ASSIGNED, assign_to.get_full_name() or assign_to.username
            )
    return case


def _case_in_reach(user, case: Case) -> None:
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def may_supervise(user, case: Case) -> bool:
    """Supervisors of the assigned worker, and administrators, approve plans and closures."""
    if not can(user, SCap.CASE_VIEW) or not user.in_scope(case.area_code):
        return False
    return can(user, SCap.CASE_ADMIN) or is_supervisor_of(user, case.assigned_to)


def may_work(user, case: Case) -> bool:
    """The assigned worker (and the supervisor or administrator) write on the case."""
    if not can(user, SCap.CASE_WORK) or not user.in_scope(case.area_code):
        return False
    return case.assigned_to_id == user.pk or may_supervise(user, case)


def _require_work(user, case: Case, *, open_only: bool = True) -> None:
    _case_in_reach(user, case)
    if not may_work(user, case):
        raise PermissionDenied(_("Hanya petugas yang ditugaskan atau supervisornya."))
    if open_only and case.status == c.CaseStatus.CLOSED:
        raise ValidationError(_("Kasus sudah ditutup; buka kembali dahulu."))


def _require_supervisor(user, case: Case) -> None:
    _case_in_reach(user, case)
    if not may_supervise(user, case):
        raise PermissionDenied(
            _("Hanya supervisor petugas atau administrator yang dapat memutuskan.")
        )


def assign_case(user, case: Case, worker) -> Case:
    """Route a case: anyone at the desk may route an unassigned case; reassigning is for the
    supervisor or administrator."""
    _case_in_reach(user, case)
    if case.assigned_to_id is None:
        if not (can(user, SCap.INTAKE) or may_supervise(user, case)):
            raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))
    elif not may_supervise(user, case):
        raise PermissionDenied(
            _("Hanya supervisor petugas atau administrator yang dapat memutuskan.")
        )
    if case.status == c.CaseStatus.CLOSED:
        raise ValidationError(_("Kasus sudah ditutup; buka kembali dahulu."))
    _check_worker(case.area_code, worker)
    case.assigned_to = worker
    case.assigned_at = timezone.now()
    with transaction.atomic():
        _save(case, user, _("Penugasan"))
        _event(case, user, c.EventKind.ASSIGNED, worker.get_full_name() or worker.username)
        notify(
            [worker],
            "case_assigned",
            _("Kasus baru untuk Anda: %(number)s") % {"number": case.number},
            url=reverse("services:case_detail", args=[case.uid]),
        )
    return case


def save_assessment(user, case: Case, area: str, data: dict, *, final: bool = False) -> Assessment:
    _require_work(user, case)
    if area not in c.NeedArea.values:
        raise ValidationError({"area": _("Bidang kebutuhan tidak dikenal.")})
    answers = clean_answers(area, data)
    if final:
        missing = missing_answers(area, answers)
        if missing:
            raise ValidationError(
                _("Asesmen belum lengkap, isi dahulu: %(fields)s.") % {"fields": ", ".join(missing)}
            )
    with transaction.atomic():
        assessment = Assessment.objects.filter(case=case, area=area).first() or Assessment(
            case=case, area=area
        )
        assessment.data = answers
        assessment.final = final
        assessment.updated_by = user
        _save(assessment, user, _("Asesmen final") if final else _("Draf asesmen"))
        _need, added = IntakeNeed.objects.get_or_create(intake=case.intake, area=area)
        if added:
            tallies.needs_added(case.intake, [area])
        _first_action(case.intake)
        _event(
            case,
            user,
            c.EventKind.ASSESSMENT,
            "{} · {}".format(c.NeedArea(area).label, _("final") if final else _("draf")),
        )
    return assessment


def _plan_changed(user, case: Case) -> None:
    if case.plan_status in (c.PlanStatus.APPROVED, c.PlanStatus.SUBMITTED):
        case.plan_status = c.PlanStatus.DRAFT
        _save(case, user, _("Rencana diubah; perlu persetujuan ulang"))


def save_plan_summary(user, case: Case, summary: str) -> Case:
    _require_work(user, case)
    case.plan_summary = summary.strip()
    with transaction.atomic():
        if case.plan_status in (c.PlanStatus.APPROVED, c.PlanStatus.SUBMITTED):
            case.plan_status = c.PlanStatus.DRAFT
        _save(case, user, _("Ringkasan rencana diubah"))
        _event(case, user, c.EventKind.PLAN, _("Ringkasan rencana diubah"))
    return case


def add_goal(user, case: Case, *, description: str, need_area: str = "") -> Goal:
    _require_work(user, case)
    description = _required_text(description, "description")
    if need_area and need_area not in c.NeedArea.values:
        raise ValidationError({"need_area": _("Bidang kebutuhan tidak dikenal.")})
    with transaction.atomic():
        goal = Goal(case=case, description=description, need_area=need_area)
        _save(goal, user, _("Tujuan ditambahkan"))
        _plan_changed(user, case)
        _event(case, user, c.EventKind.PLAN, _("Tujuan: %(goal)s") % {"goal": description})
    return goal


def add_plan_action(
    user, goal: Goal, *, description: str, responsible: str = "", due_on: date | None = None
) -> PlanAction:
    case = goal.case
    _require_work(user, case)
    description = _required_text(description, "description")
    _not_past(due_on, "due_on")
    with transaction.atomic():
        action = PlanAction(
            goal=goal, description=description, responsible=responsible, due_on=due_on
        )
        _save(action, user, _("Kegiatan ditambahkan"))
        _plan_changed(user, case)
        _event(case, user, c.EventKind.PLAN, _("Kegiatan: %(action)s") % {"action": description})
    return action


def set_plan_action_done(user, action: PlanAction, done: bool = True) -> PlanAction:
    case = action.goal.case
    _require_work(user, case)
    action.done = done
    with transaction.atomic():
        _save(action, user, _("Kegiatan selesai") if done else _("Kegiatan dibuka lagi"))
        _first_action(case.intake)
        _event(
            case,
            user,
            c.EventKind.PLAN,
            (_("Selesai: %(action)s") if done else _("Dibuka lagi: %(action)s"))
            % {"action": action.description},
        )
    return action


def submit_plan(user, case: Case) -> Case:
    _require_work(user, case)
    if case.assigned_to_id is None:
        raise ValidationError(_("Tugaskan kasus kepada petugas dahulu."))
    if not case.goals.exists():
        raise ValidationError(_("Rencana belum berisi tujuan."))
    if case.plan_status not in (c.PlanStatus.DRAFT, c.PlanStatus.RETURNED):
        raise ValidationError(_("Rencana sudah diajukan atau sudah disetujui."))
    case.plan_status = c.PlanStatus.SUBMITTED
    with transaction.atomic():
        _save(case, user, _("Rencana diajukan"))
        _event(case, user, c.EventKind.PLAN_SUBMITTED)
    return case


def decide_plan(user, case: Case, *, approve: bool, comment: str = "") -> Case:
    _require_supervisor(user, case)
    if case.plan_status != c.PlanStatus.SUBMITTED:
        raise ValidationError(_("Tidak ada rencana yang menunggu persetujuan."))
    if not approve:
        comment = _required_text(comment, "comment", _("Tuliskan apa yang perlu diperbaiki."))
    case.plan_status = c.PlanStatus.APPROVED if approve else c.PlanStatus.RETURNED
    case.plan_decided_by = user
    case.plan_decided_at = timezone.now()
    case.plan_comment = comment
    with transaction.atomic():
        _save(case, user, _("Rencana disetujui") if approve else _("Rencana dikembalikan"))
        _event(
            case,
            user,
            c.EventKind.PLAN_APPROVED if approve else c.EventKind.PLAN_RETURNED,
            comment,
        )
        notify(
            [case.assigned_to],
            "plan_decided",
            (
                _("Rencana kasus %(number)s disetujui")
                if approve
                else _("Rencana kasus %(number)s dikembalikan")
            )
            % {"number": case.number},
            url=reverse("services:case_detail", args=[case.uid]),
        )
    return case


def add_note(user, case: Case, text: str) -> CaseNote:
    _require_work(user, case, open_only=False)
    text = _required_text(text, "text")
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=user, text=text)
        _first_action(case.intake)
        _event(case, user, c.EventKind.NOTE, text[:200])
    return note


def add_task(user, case: Case, *, title: str, due_on: date, assigned_to=None) -> Task:
    _require_work(user, case)
    title = _required_text(title, "title")
    if due_on is None:
        raise ValidationError({"due_on": _("Isi batas waktu.")})
    if due_on < _today():
        raise ValidationError({"due_on": _("Batas waktu tidak boleh di masa lalu.")})
    assignee = assigned_to or case.assigned_to or user
    if assignee.pk != user.pk and assignee.pk != case.assigned_to_id:
        _check_worker(case.area_code, assignee)
    with transaction.atomic():
        task = Task(case=case, title=title, due_on=due_on, assigned_to=assignee, created_by=user)
        _save(task, user, _("Tindak lanjut dibuat"))
        _first_action(case.intake)
        _event(
            case,
            user,
            c.EventKind.TASK,
            _("%(title)s, batas %(due)s") % {"title": title, "due": due_on.strftime("%d-%m-%Y")},
        )
    return task


def complete_task(user, task: Task) -> Task:
    case = task.case
    _case_in_reach(user, case)
    if task.assigned_to_id != user.pk and not may_work(user, case):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))
    if task.done_at is not None:
        raise ValidationError(_("Tindak lanjut ini sudah selesai."))
    task.done_at = timezone.now()
    task.done_by = user
    with transaction.atomic():
        _save(task, user, _("Tindak lanjut selesai"))
        _event(case, user, c.EventKind.TASK, _("Selesai: %(title)s") % {"title": task.title})
    return task


def record_counselling(
    user,
    case: Case,
    *,
    held_on: date,
    participants: str,
    issues: str,
    agreed_steps: str = "",
    next_session_on: date | None = None,
    counsellor=None,
) -> CounsellingSession:
    """Konsultasi Kesejahteraan Keluarga (K3): note one family counselling session."""
    _require_work(user, case)
    _not_future(held_on, "held_on")
    if next_session_on is not None and next_session_on <= held_on:
        raise ValidationError({"next_session_on": _("Sesi berikutnya harus sesudah sesi ini.")})
    counsellor = counsellor or user
    if counsellor.pk != user.pk:
        _check_worker(case.area_code, counsellor)
    session = CounsellingSession(
        case=case,
        held_on=held_on,
        counsellor=counsellor,
        participants=_required_text(participants, "participants"),
        issues=_required_text(issues, "issues"),
        agreed_steps=agreed_steps.strip(),
        next_session_on=next_session_on,
    )
    with transaction.atomic():
        _save(session, user, _("Sesi K3 dicatat"))
        _first_action(case.intake)
        _event(case, user, c.EventKind.COUNSELLING, held_on.strftime("%d-%m-%Y"))
    return session


def _open_referrals_error(case: Case) -> None:
    open_refs = list(case.referrals.filter(status__in=c.OPEN_REFERRAL).select_related("agency"))
    if open_refs:
        names = ", ".join(
            "{} ({})".format(r.number or _("draf"), r.get_status_display()) for r in open_refs
        )
        raise ValidationError(
            _(
                "Kasus tidak dapat ditutup: masih ada rujukan yang belum selesai: %(list)s. "
                "Tunggu jawaban mitra atau tarik rujukannya."
            )
            % {"list": names}
        )


def request_closure(user, case: Case, *, outcome: str, summary: str) -> Case:
    _require_work(user, case)
    if case.status != c.CaseStatus.OPEN:
        raise ValidationError(_("Penutupan kasus ini sudah diajukan atau kasus sudah ditutup."))
    if outcome not in c.Outcome.values:
        raise ValidationError({"outcome": _("Pilih hasil penanganan.")})
    summary = _required_text(summary, "summary", _("Tuliskan ringkasan penutupan."))
    _open_referrals_error(case)
    case.status = c.CaseStatus.CLOSURE_REQUESTED
    case.outcome = outcome
    case.closure_summary = summary
    case.closure_requested_by = user
    case.closure_requested_at = timezone.now()
    with transaction.atomic():
        _save(case, user, _("Penutupan diajukan"))
        _event(case, user, c.EventKind.CLOSURE_REQUESTED, str(c.Outcome(outcome).label))
    return case


def decide_closure(user, case: Case, *, approve: bool, comment: str = "") -> Case:
    _require_supervisor(user, case)
    if case.status != c.CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(_("Tidak ada penutupan yang menunggu persetujuan."))
    now = timezone.now()
    with transaction.atomic():
        if approve:
            _open_referrals_error(case)
            case.status = c.CaseStatus.CLOSED
            case.closed_by = user
            case.closed_at = now
            intake = case.intake
            intake.status = c.IntakeStatus.CLOSED
            intake.closed_at = now
            _save(intake, user, _("Kasus ditutup"))
            _save(case, user, _("Penutupan disetujui"))
            _event(case, user, c.EventKind.CLOSED, comment)
        else:
            comment = _required_text(comment, "comment", _("Tuliskan alasan penolakan."))
            case.status = c.CaseStatus.OPEN
            _save(case, user, _("Penutupan ditolak"))
            _event(case, user, c.EventKind.CLOSURE_REJECTED, comment)
        notify(
            [case.assigned_to],
            "closure_decided",
            (
                _("Penutupan kasus %(number)s disetujui")
                if approve
                else _("Penutupan kasus %(number)s ditolak")
            )
            % {"number": case.number},
            url=reverse("services:case_detail", args=[case.uid]),
        )
    return case


def reopen_case(user, case: Case, reason: str) -> Case:
    _require_work(user, case, open_only=False)
    if case.status != c.CaseStatus.CLOSED:
        raise ValidationError(_("Kasus ini belum ditutup."))
    reason = _required_text(reason, "reason", _("Tuliskan alasan membuka kembali."))
    case.status = c.CaseStatus.OPEN
    case.reopened_count += 1
    case.closed_at = None
    case.closed_by = None
    with transaction.atomic():
        intake = case.intake
        intake.status = c.IntakeStatus.IN_CASE
        intake.closed_at = None
        _save(intake, user, _("Kasus dibuka kembali"))
        _save(case, user, reason)
        _event(case, user, c.EventKind.REOPENED, reason)
    return case


# --- Referrals --------------------------------------------------------------------------------

REFERRAL_FIELDS = ("need_area", "need", "done_so_far", "request")


def services_for(case: Case):
    """Active partner services answering one of the case's needs where the person lives."""
    needs = set(case.intake.need_list())
    qs = PartnerService.objects.filter(active=True, agency__active=True).select_related("agency")
    return [
        s
        for s in qs.prefetch_related("areas_served")
        if s.serves(case.area_code) and (not needs or needs & set(s.need_areas))
    ]


def create_referral(user, case: Case, service: PartnerService, **data) -> Referral:
    _require_work(user, case)
    if not service.active or not service.agency.active:
        raise ValidationError({"service": _("Layanan mitra ini tidak aktif.")})
    if not service.serves(case.area_code):
        raise ValidationError(
            {"service": _("Layanan ini tidak menjangkau tempat tinggal orang tersebut.")}
        )
    need_area = data.get("need_area") or ""
    if need_area not in c.NeedArea.values:
        raise ValidationError({"need_area": _("Pilih bidang kebutuhan.")})
    referral = Referral(
        case=case,
        service=service,
        agency=service.agency,
        area_code=case.area_code,
        need_area=need_area,
        need=_required_text(data.get("need", ""), "need"),
        done_so_far=(data.get("done_so_far") or "").strip(),
        request=_required_text(data.get("request", ""), "request"),
        created_by=user,
    )
    with transaction.atomic():
        _save(referral, user, _("Draf rujukan dibuat"))
        _event(
            case,
            user,
            c.EventKind.REFERRAL,
            _("Draf rujukan ke %(agency)s") % {"agency": service.agency.name},
            referral=referral,
            status=referral.status,
        )
    return referral


def _require_referral_work(user, referral: Referral, *statuses: str) -> None:
    _require_work(user, referral.case)
    if statuses and referral.status not in statuses:
        raise ValidationError(
            _("Rujukan berstatus %(status)s; langkah ini tidak dapat dilakukan.")
            % {"status": referral.get_status_display()}
        )


def update_referral(user, referral: Referral, **data) -> Referral:
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    for key in REFERRAL_FIELDS:
        if key in data:
            setattr(referral, key, (data[key] or "").strip())
    if referral.need_area not in c.NeedArea.values:
        raise ValidationError({"need_area": _("Pilih bidang kebutuhan.")})
    _required_text(referral.need, "need")
    _required_text(referral.request, "request")
    with transaction.atomic():
        _save(referral, user, _("Draf rujukan diubah"))
    return referral


def subject_age(case: Case) -> int:
    return case.intake.age()


def record_consent(
    user,
    referral: Referral,
    *,
    consent_by: str,
    method: str,
    guardian_name: str = "",
    guardian_relationship: str = "",
    share_nik: bool = False,
    note: str = "",
) -> Referral:
    """The person's (or, for a child, the guardian's) consent to share data with the partner."""
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    errors: dict[str, list] = {}
    if consent_by not in c.ConsentBy.values:
        errors["consent_by"] = [_("Pilih siapa yang memberi persetujuan.")]
    if method not in c.ConsentMethod.values:
        errors["method"] = [_("Pilih cara persetujuan.")]
    if subject_age(referral.case) < CHILD_AGE and consent_by != c.ConsentBy.GUARDIAN:
        errors["consent_by"] = [_("Untuk anak di bawah 18 tahun, persetujuan dari orang tua/wali.")]
    if consent_by == c.ConsentBy.GUARDIAN:
        if not guardian_name.strip():
            errors["guardian_name"] = [_("Isi nama orang tua/wali.")]
        if not guardian_relationship.strip():
            errors["guardian_relationship"] = [_("Isi hubungan wali dengan anak/orang tersebut.")]
    if errors:
        raise ValidationError(errors)
    referral.consent_given = True
    referral.consent_by = consent_by
    referral.consent_method = method
    referral.guardian_name = guardian_name.strip() if consent_by == c.ConsentBy.GUARDIAN else ""
    referral.guardian_relationship = (
        guardian_relationship.strip() if consent_by == c.ConsentBy.GUARDIAN else ""
    )
    referral.consent_share_nik = bool(share_nik)
    referral.consent_note = note.strip()[:300]
    referral.consent_recorded_by = user
    referral.consent_recorded_at = timezone.now()
    with transaction.atomic():
        _save(referral, user, _("Persetujuan dicatat"))
        _event(
            referral.case,
            user,
            c.EventKind.REFERRAL,
            _("Persetujuan dicatat (%(by)s, %(method)s)%(nik)s")
            % {
                "by": c.ConsentBy(consent_by).label,
                "method": c.ConsentMethod(method).label,
                "nik": _("; NIK boleh dibagikan") if share_nik else "",
            },
            referral=referral,
            status=referral.status,
        )
    return referral


def add_referral_attachment(user, referral: Referral, *, title: str, file) -> ReferralAttachment:
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    content_type = check_upload(file)
    attachment = ReferralAttachment(
        referral=referral,
        title=_required_text(title, "title"),
        content_type=content_type,
        uploaded_by=user,
    )
    attachment.file = file
    with transaction.atomic():
        attachment.save()
        _event(
            referral.case,
            user,
            c.EventKind.REFERRAL,
            _("Lampiran: %(title)s") % {"title": attachment.title},
            referral=referral,
            status=referral.status,
        )
    return attachment


def send_referral(user, referral: Referral) -> Referral:
    """Send the letter. Refused until consent is recorded: no data leaves without it."""
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    if not referral.consent_given:
        raise ValidationError(
            _(
                "Rujukan belum dapat dikirim: catat dahulu persetujuan yang bersangkutan (atau "
                "orang tua/wali untuk anak) untuk membagikan datanya kepada mitra."
            ),
            code="no_consent",
        )
    case = referral.case
    intake = case.intake
    now = timezone.now()
    with transaction.atomic():
        regency = case.service_point.regency_code.replace(".", "")
        serial = next_number("RUJ", regency, now.year)
        referral.number = f"RUJ-{regency}-{now.year}-{serial:06d}"
        referral.subject_name = intake.name
        referral.subject_age = intake.age()
        referral.subject_sex = intake.sex
        referral.subject_phone = intake.phone
        nik = intake.person.nik if intake.person is not None else intake.nik
        referral.subject_nik = nik if referral.consent_share_nik else ""
        referral.status = c.ReferralStatus.SENT
        referral.sent_at = now
        referral.sent_by = user
        referral.respond_due = add_working_days(
            timezone.localdate(now), referral.service.respond_days
        )
        _save(referral, user, _("Rujukan dikirim"))
        _first_action(intake, now)
        _event(
            case,
            user,
            c.EventKind.REFERRAL,
            _("Dikirim ke %(agency)s, %(number)s")
            % {
                "agency": referral.agency.name,
                "number": referral.number,
            },
            referral=referral,
            status=referral.status,
        )
        partners = [
            m.user
            for m in PartnerMembership.objects.filter(
                agency=referral.agency, active=True
            ).select_related("user")
        ]
        notify(
            partners,
            "referral_received",
            _("Rujukan baru %(number)s") % {"number": referral.number},
            url=reverse("services:inbox_detail", args=[referral.uid]),
        )
    return referral


def withdraw_referral(user, referral: Referral, reason: str) -> Referral:
    _require_referral_work(
        user,
        referral,
        c.ReferralStatus.DRAFT,
        c.ReferralStatus.SENT,
        c.ReferralStatus.RECEIVED,
        c.ReferralStatus.ACCEPTED,
        c.ReferralStatus.IN_SERVICE,
    )
    reason = _required_text(reason, "reason", _("Tuliskan alasan menarik rujukan."))
    was_sent = referral.status != c.ReferralStatus.DRAFT
    referral.status = c.ReferralStatus.WITHDRAWN
    referral.withdraw_reason = reason
    referral.finished_at = timezone.now()
    with transaction.atomic():
        _save(referral, user, reason)
        _event(
            referral.case, user, c.EventKind.REFERRAL, reason, referral=referral, status="withdrawn"
        )
        if was_sent:
            notify(
                [
                    m.user
                    for m in PartnerMembership.objects.filter(agency=referral.agency, active=True)
                ],
                "referral_withdrawn",
                _("Rujukan %(number)s ditarik") % {"number": referral.number},
                url=reverse("services:inbox_detail", args=[referral.uid]),
            )
    return referral


# Partner side: only a member of the referral's agency, only on a sent referral.

PARTNER_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "receive": (frozenset({c.ReferralStatus.SENT}), c.ReferralStatus.RECEIVED),
    "accept": (
        frozenset({c.ReferralStatus.SENT, c.ReferralStatus.RECEIVED}),
        c.ReferralStatus.ACCEPTED,
    ),
    "decline": (
        frozenset({c.ReferralStatus.SENT, c.ReferralStatus.RECEIVED}),
        c.ReferralStatus.DECLINED,
    ),
    "start": (frozenset({c.ReferralStatus.ACCEPTED}), c.ReferralStatus.IN_SERVICE),
    "update": (
        frozenset({c.ReferralStatus.ACCEPTED, c.ReferralStatus.IN_SERVICE}),
        "",
    ),
    "complete": (
        frozenset({c.ReferralStatus.ACCEPTED, c.ReferralStatus.IN_SERVICE}),
        c.ReferralStatus.COMPLETED,
    ),
    "return": (
        frozenset(
            {c.ReferralStatus.RECEIVED, c.ReferralStatus.ACCEPTED, c.ReferralStatus.IN_SERVICE}
        ),
        c.ReferralStatus.RETURNED,
    ),
}


def partner_move(user, referral: Referral, move: str, text: str = "") -> Referral:
    """A partner's answer: receive, accept, decline (reason), start, update (note), complete
    (result) or return (reason)."""
    if move not in PARTNER_MOVES:
        raise ValidationError(_("Langkah tidak dikenal."))
    if not Referral.objects.inbox_for(user).filter(pk=referral.pk).exists():
        raise PermissionDenied(_("Rujukan ini tidak ditujukan kepada instansi Anda."))
    allowed, target = PARTNER_MOVES[move]
    if referral.status not in allowed:
        raise ValidationError(
            _("Rujukan berstatus %(status)s; langkah ini tidak dapat dilakukan.")
            % {"status": referral.get_status_display()}
        )
    text = (text or "").strip()
    needs_text = {
        "decline": _("Tuliskan alasan penolakan."),
        "complete": _("Tuliskan hasil layanan."),
        "return": _("Tuliskan alasan pengembalian."),
        "update": _("Tuliskan perkembangan layanan."),
    }
    if move in needs_text and not text:
        raise ValidationError({"text": needs_text[move]})
    now = timezone.now()
    today = timezone.localdate(now)
    if move == "receive":
        referral.received_at = now
    elif move == "accept":
        referral.received_at = referral.received_at or now
        referral.responded_at = now
        referral.responded_by = user
        referral.complete_due = add_working_days(today, referral.service.complete_days)
    elif move == "decline":
        referral.received_at = referral.received_at or now
        referral.responded_at = now
        referral.responded_by = user
        referral.decline_reason = text
        referral.finished_at = now
    elif move == "start":
        referral.started_at = now
    elif move == "complete":
        referral.started_at = referral.started_at or now
        referral.result = text
        referral.finished_at = now
    elif move == "return":
        referral.return_reason = text
        referral.finished_at = now
    if move in ("accept", "start", "update") and text:
        referral.partner_note = text
    if target:
        referral.status = target
    with transaction.atomic():
        _save(referral, user, text or str(c.ReferralStatus(referral.status).label))
        label = str(c.ReferralStatus(target).label) if target else _("Perkembangan")
        _event(
            referral.case,
            user,
            c.EventKind.REFERRAL,
            "{}: {}{}".format(referral.agency.name, label, (" · " + text) if text else ""),
            referral=referral,
            status=referral.status,
        )
        if move != "receive":
            notify(
                [referral.case.assigned_to],
                "referral_answer",
                _("%(agency)s: rujukan %(number)s %(status)s")
                % {
                    "agency": referral.agency.name,
                    "number": referral.number,
                    "status": label.lower(),
                },
                body=text,
                url=reverse("services:case_detail", args=[referral.case.uid]),
            )
    return referral


# --- Overdue digest ---------------------------------------------------------------------------


def overdue_referrals(today: date | None = None):
    today = today or _today()
    return Referral.objects.filter(
        Q(status__in=c.AWAITING_RESPONSE, respond_due__lt=today)
        | Q(status__in=c.IN_PROGRESS, complete_due__lt=today)
    )


def overdue_tasks(today: date | None = None):
    today = today or _today()
    return Task.objects.filter(
        done_at__isnull=True, due_on__lt=today, case__status__in=["open", "closure_requested"]
    )


def _email_configured() -> bool:
    host = getattr(settings, "EMAIL_HOST", "") or ""
    return bool(host) and host != "localhost"


def _digest_lines_referrals(rows) -> list[str]:
    return [
        _("%(number)s · %(status)s · batas %(due)s")
        % {
            "number": r.number,
            "status": r.get_status_display(),
            "due": r.due.strftime("%d-%m-%Y") if r.due else "—",
        }
        for r in rows
    ]


def send_overdue_digest(today: date | None = None) -> dict[str, int]:
    """Daily: one in-app notification (and an e-mail when mail is configured) per partner user
    about their agency's overdue referrals, and per service-point manager/supervisor about the
    point's overdue referrals and follow-ups. Letter and ticket numbers only, never names.

    Safe to run twice a day: a user already sent today's digest is skipped.
    """
    today = today or _today()
    referrals = list(
        overdue_referrals(today)
        .select_related("agency", "case__service_point")
        .order_by("respond_due", "id")
    )
    tasks = list(
        overdue_tasks(today)
        .select_related("case__intake", "case__service_point")
        .order_by("due_on", "id")
    )
    key = f"overdue_digest:{today.isoformat()}"
    already = set(Notification.objects.filter(key=key).values_list("user_id", flat=True))
    counts = {"agencies": 0, "service_points": 0, "notifications": 0, "emails": 0}
    messages: list[tuple[Any, str, str, str]] = []

    by_agency: dict[int, list[Referral]] = {}
    for r in referrals:
        by_agency.setdefault(r.agency_id, []).append(r)
    for agency_id, rows in by_agency.items():
        counts["agencies"] += 1
        title = _("%(n)s rujukan melewati batas waktu") % {"n": len(rows)}
        body = "\n".join(_digest_lines_referrals(rows))
        for m in PartnerMembership.objects.filter(agency_id=agency_id, active=True).select_related(
            "user"
        ):
            messages.append((m.user, title, body, reverse("services:inbox") + "?terlambat=1"))

    by_point: dict[int, tuple[list[Referral], list[Task]]] = {}
    for r in referrals:
        by_point.setdefault(r.case.service_point_id, ([], []))[0].append(r)
    for t in tasks:
        by_point.setdefault(t.case.service_point_id, ([], []))[1].append(t)
    for point_id, (refs, point_tasks) in by_point.items():
        counts["service_points"] += 1
        title = _("%(r)s rujukan dan %(t)s tindak lanjut melewati batas waktu") % {
            "r": len(refs),
            "t": len(point_tasks),
        }
        lines = _digest_lines_referrals(refs) + [
            _("%(ticket)s · %(title)s · batas %(due)s")
            % {
                "ticket": t.case.intake.ticket_number,
                "title": t.title,
                "due": t.due_on.strftime("%d-%m-%Y"),
            }
            for t in point_tasks
        ]
        leads = ServicePointStaff.objects.filter(
            service_point_id=point_id,
            ended_on__isnull=True,
            role__in=[c.StaffRole.MANAGER, c.StaffRole.SUPERVISOR],
        ).select_related("user")
        for lead in {post.user_id: post.user for post in leads}.values():
            messages.append((lead, title, "\n".join(lines), reverse("services:overdue")))

    email = _email_configured()
    for user, title, body, url in messages:
        if user.pk in already or not user.is_active:
            continue
        Notification.objects.create(
            user=user, kind="overdue_digest", title=title, body=body, url=url, key=key
        )
        counts["notifications"] += 1
        if email and user.email:
            counts["emails"] += send_mail(
                "[Pandu] " + title,
                body,
                None,
                [user.email],
                fail_silently=True,
            )
    return counts


def mark_notifications_read(user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def registry_cap_for_intake(user) -> bool:
    """Whether the user can search the registry from the intake form."""
    return user.can(Cap.VIEW_REGISTRY)
