"""Changes to partner agencies, their services and their members."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.organisations.actions import keep_in_step
from pandu.organisations.kinds import for_agency

from .. import choices as c
from ..capabilities import SCap, is_partner
from ..models import PartnerAgency, PartnerMembership, PartnerService
from ._common import _require, _required_text, _save

PARTNER_FIELDS = {"name", "kind", "area", "address", "phone", "email", "contact_person", "active"}
SERVICE_FIELDS = {"name", "description", "need_areas", "respond_days", "complete_days", "active"}


def _keep_organisation_in_step(user, agency: PartnerAgency) -> None:
    """The agency is also a body in the one list of organisations (decision 0013)."""
    agency.organisation = keep_in_step(
        user,
        agency.organisation,
        name=agency.name,
        kind=for_agency(agency.kind),
        area=agency.area,
        address=agency.address,
        phone=agency.phone,
        email=agency.email,
        active=agency.active,
    )


def create_partner(user, **data) -> PartnerAgency:
    _require(user, SCap.SETUP_MANAGE, data["area"].code)
    agency = PartnerAgency(**{k: v for k, v in data.items() if k in PARTNER_FIELDS})
    agency.name = _required_text(agency.name, "name")
    with transaction.atomic():
        _keep_organisation_in_step(user, agency)
        _save(agency, user, _("Mitra dibuat"))
    return agency


def update_partner(user, agency: PartnerAgency, **data) -> PartnerAgency:
    _require(user, SCap.SETUP_MANAGE, agency.area_id)
    for key, value in data.items():
        if key in PARTNER_FIELDS:
            setattr(agency, key, value)
    _require(user, SCap.SETUP_MANAGE, agency.area_id)
    with transaction.atomic():
        _keep_organisation_in_step(user, agency)
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
    if not is_partner(member):
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
