"""Changes to service points (pos pelayanan) and their staff."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.regions.models import Area, Level

from .. import choices as c
from ..capabilities import SCap, is_partner
from ..models import ServicePoint, ServicePointStaff
from ._common import _require, _required_text, _save, _today

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
    if not member.is_active or is_partner(member):
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
