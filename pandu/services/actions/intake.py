"""Intake: the front desk's record of a person's visit and needs, and what comes of it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.regions.models import Area, Level

from .. import choices as c
from .. import tallies
from ..capabilities import SCap
from ..models import Intake, IntakeNeed, ServicePoint
from ._common import (
    _first_action,
    _intake_in_reach,
    _require,
    _required_text,
    _save,
    _today,
    next_number,
)


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
    kk_number: str = ""
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
    from pandu.registry.validation import clean_birth_date, clean_kk, clean_name, clean_nik

    if subject.person is not None:
        person = subject.person
        if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
            raise PermissionDenied(_("Penduduk ini tidak ada di wilayah Anda."))
        subject.name = person.full_name
        subject.nik = ""
        subject.kk_number = ""
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
    if subject.kk_number:
        try:
            subject.kk_number = clean_kk(subject.kk_number)
        except ValidationError as e:
            errors["kk_number"] = e.messages
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
            kk_number=subject.kk_number,
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
        if intake.propose_to_registry:
            intake.registry_proposal = _hand_to_registry(user, subject, service_point, now)
        _save(intake, user, _("Pengaduan/permohonan diterima"))
        IntakeNeed.objects.bulk_create(
            [IntakeNeed(intake=intake, area=area, detail=detail[:300]) for area, detail in needs]
        )
        tallies.needs_added(intake, [area for area, _detail in needs])
        if categories:
            intake.ppks_categories.set(categories)
    return intake


def _hand_to_registry(user, subject: Subject, point: ServicePoint, when):
    """A person not in the registry who should be: a draft proposal in their village operator's
    worklist with what the desk was told (never the complaint), linked from the intake."""
    from pandu.proposals.actions import receive_walk_in

    assert subject.village is not None  # checked by ``_clean_subject``
    batch = receive_walk_in(
        user,
        village=subject.village,
        person={
            "name": subject.name,
            "nik": subject.nik,
            "kk_number": subject.kk_number,
            "sex": subject.sex,
            "birth_date": subject.birth_date.isoformat() if subject.birth_date else "",
            "address": subject.address,
            "phone": subject.phone,
        },
        source=point.name,
        received_on=timezone.localdate(when),
    )
    return batch


def set_queue_status(user, intake: Intake, status: str) -> Intake:
    _require(user, SCap.INTAKE)
    _intake_in_reach(user, intake)
    if status not in c.QueueStatus.values:
        raise ValidationError(_("Status antrean tidak dikenal."))
    intake.queue_status = status
    with transaction.atomic():
        _save(intake, user, _("Antrean diperbarui"))
    return intake


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


def registry_cap_for_intake(user) -> bool:
    """Whether the user can search the registry from the intake form."""
    return user.can(Cap.VIEW_REGISTRY)
