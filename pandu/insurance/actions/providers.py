"""Providers, their staff and their accreditation by the Dinas.

A provider is a non-profit body in the one list of organisations (kind LKS), kept in step by
these actions. Accreditation is an application with one item per requirement of seed 001: the
provider brings evidence, the Dinas's reviewer records a finding on each, and the decision
(accredited with a number and validity dates, or refused with the reasons) needs every finding.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can
from pandu.core.history import stamp
from pandu.organisations.actions import keep_in_step
from pandu.organisations.models import OrganisationKind
from pandu.regions.models import Area

from ..capabilities import ICap
from ..choices import AccreditationStatus, Criterion, Finding
from ..models import Accreditation, AccreditationItem, Provider, ProviderStaff
from ._common import a_date, raise_if, require_manage, require_work, rupiah, text

ORG_FIELDS = ("name", "address", "phone", "email")
_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


def _clean_provider(provider: Provider, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if "code" in data:
        code = text(data["code"], 12).upper()
        if not _CODE.match(code):
            errors["code"] = [_("Kode penyelenggara 2–12 huruf besar atau angka, mis. LKS01.")]
        provider.code = code
    if "established_on" in data:
        day = data["established_on"]
        if day is not None:
            day = a_date(day, "established_on", _("Tanggal berdiri"), errors)
        provider.established_on = day
    if "legal_basis" in data:
        provider.legal_basis = text(data["legal_basis"], 200)
    if "opening_reserve" in data:
        value = rupiah(data["opening_reserve"] or 0, "opening_reserve", errors, zero=True)
        if value is not None:
            provider.opening_reserve = value
    if "note" in data:
        provider.note = text(data["note"], 4000)
    if "active" in data:
        provider.active = bool(data["active"])


def _body(user: Any, provider: Provider, data: dict[str, Any], area: Area | None):
    identity = {k: text(data[k], 300) for k in ORG_FIELDS if k in data}
    if "name" in identity and not identity["name"]:
        raise ValidationError({"name": [_("Nama lembaga wajib diisi.")]})
    return keep_in_step(
        user,
        provider.organisation if provider.organisation_id else None,
        kind=OrganisationKind.LKS,
        area=area,
        active=provider.active,
        **identity,
    )


def _save(provider: Provider, user: Any, reason: str) -> Provider:
    try:
        with transaction.atomic():
            stamp(provider, user, reason)
            provider.save()
    except IntegrityError:
        raise ValidationError({"code": [_("Kode penyelenggara ini sudah dipakai.")]}) from None
    return provider


@transaction.atomic
def create_provider(user: Any, *, name: str, code: str, area: Area | None, **data: Any) -> Provider:
    """A provider seated in ``area``: its body in the list of organisations and its record."""
    if area is None:
        raise ValidationError({"area": [_("Pilih wilayah kedudukan penyelenggara.")]})
    require_manage(user, area.code)
    provider = Provider(area_code=area.code)
    errors: dict[str, list[str]] = {}
    _clean_provider(provider, {"code": code, **data}, errors)
    if not text(name, 200):
        errors["name"] = [_("Nama lembaga wajib diisi.")]
    raise_if(errors)
    provider.organisation = _body(user, provider, {"name": name, **data}, area)
    return _save(provider, user, _("Penyelenggara Askesos didaftarkan"))


@transaction.atomic
def update_provider(user: Any, provider: Provider, **data: Any) -> Provider:
    require_manage(user, provider.area_code)
    provider = (
        Provider.objects.select_for_update().select_related("organisation").get(pk=provider.pk)
    )
    errors: dict[str, list[str]] = {}
    _clean_provider(provider, data, errors)
    raise_if(errors)
    if any(k in data for k in ORG_FIELDS) or "active" in data:
        provider.organisation = _body(user, provider, data, provider.organisation.area)
    return _save(provider, user, _("Data penyelenggara diubah"))


@transaction.atomic
def link_staff(user: Any, provider: Provider, staff_user: Any, position: str = "") -> ProviderStaff:
    """A Mitra user becomes staff of the provider: they see and keep its members only."""
    require_manage(user, provider.area_code)
    if staff_user is None or not staff_user.is_active or not user_can(staff_user, ICap.PROVIDER):
        raise ValidationError(
            {"user": [_("Pilih pengguna aktif berperan Mitra sebagai petugas penyelenggara.")]}
        )
    link, _created = ProviderStaff.objects.get_or_create(
        provider=provider, user=staff_user, defaults={"position": text(position, 120)}
    )
    link.active = True
    link.position = text(position, 120) or link.position
    stamp(link, user, _("Petugas penyelenggara ditautkan"))
    link.save()
    return link


@transaction.atomic
def unlink_staff(user: Any, link: ProviderStaff) -> ProviderStaff:
    require_manage(user, link.provider.area_code)
    link.active = False
    stamp(link, user, _("Tautan petugas penyelenggara diakhiri"))
    link.save()
    return link


# --- Accreditation ----------------------------------------------------------------------------


@transaction.atomic
def open_accreditation(user: Any, provider: Provider, *, applied_on: date | None) -> Accreditation:
    """An application with one item per requirement; one open application at a time."""
    require_manage(user, provider.area_code)
    errors: dict[str, list[str]] = {}
    day = a_date(applied_on, "applied_on", _("Tanggal permohonan"), errors)
    raise_if(errors)
    assert day is not None
    if provider.accreditations.filter(status=AccreditationStatus.REVIEW).exists():
        raise ValidationError(
            {"applied_on": [_("Masih ada permohonan akreditasi yang sedang diperiksa.")]}
        )
    accreditation = Accreditation(provider=provider, applied_on=day)
    stamp(accreditation, user, _("Permohonan akreditasi dibuka"))
    accreditation.save()
    for criterion in Criterion.values:
        item = AccreditationItem(accreditation=accreditation, criterion=criterion)
        stamp(item, user, _("Permohonan akreditasi dibuka"))
        item.save()
    return accreditation


def _open_item(user: Any, item: AccreditationItem) -> AccreditationItem:
    item = (
        AccreditationItem.objects.select_for_update()
        .select_related("accreditation__provider")
        .get(pk=item.pk)
    )
    if item.accreditation.status != AccreditationStatus.REVIEW:
        raise ValidationError(_("Permohonan ini sudah diputuskan; bukti tidak dapat diubah."))
    return item


@transaction.atomic
def record_evidence(
    user: Any, item: AccreditationItem, *, evidence: str, evidence_file: Any = None
) -> AccreditationItem:
    """The provider's evidence for one requirement (its staff, or the Dinas on its behalf)."""
    require_work(user, item.accreditation.provider)
    item = _open_item(user, item)
    item.evidence = text(evidence, 4000)
    if evidence_file is not None:
        from pandu.core.uploads import check_upload

        check_upload(evidence_file, kinds=("pdf", "png", "jpeg", "webp"))
        item.evidence_file = evidence_file
    if not item.evidence and not item.evidence_file:
        raise ValidationError({"evidence": [_("Tuliskan bukti atau lampirkan berkasnya.")]})
    item.finding = Finding.PENDING  # new evidence is looked at again
    stamp(item, user, _("Bukti persyaratan dicatat"))
    item.save()
    return item


@transaction.atomic
def review_item(
    user: Any, item: AccreditationItem, *, finding: str, note: str = ""
) -> AccreditationItem:
    require_manage(user, item.accreditation.provider.area_code)
    item = _open_item(user, item)
    if finding not in (Finding.MET, Finding.NOT_MET):
        raise ValidationError({"finding": [_("Pilih memenuhi atau tidak memenuhi.")]})
    if finding == Finding.NOT_MET and not text(note, 10):
        raise ValidationError({"note": [_("Tuliskan mengapa persyaratan tidak terpenuhi.")]})
    if finding == Finding.MET and not (item.evidence or item.evidence_file):
        raise ValidationError(
            {"finding": [_("Persyaratan tanpa bukti tidak dapat dinyatakan memenuhi.")]}
        )
    item.finding = finding
    item.reviewer_note = text(note, 4000)
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    stamp(item, user, _("Persyaratan diperiksa"))
    item.save()
    return item


@transaction.atomic
def decide_accreditation(
    user: Any,
    accreditation: Accreditation,
    *,
    accredited: bool,
    decision_number: str,
    decided_on: date | None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    note: str = "",
) -> Accreditation:
    require_manage(user, accreditation.provider.area_code)
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if accreditation.status != AccreditationStatus.REVIEW:
        raise ValidationError(_("Permohonan ini sudah diputuskan."))
    errors: dict[str, list[str]] = {}
    number = text(decision_number, 100)
    if not number:
        errors["decision_number"] = [_("Nomor keputusan wajib diisi.")]
    day = a_date(decided_on, "decided_on", _("Tanggal keputusan"), errors)
    findings = list(accreditation.items.values_list("finding", flat=True))
    if accredited:
        if any(f != Finding.MET for f in findings):
            errors["accredited"] = [
                _("Semua persyaratan harus diperiksa dan memenuhi sebelum akreditasi diberikan.")
            ]
        if not isinstance(valid_from, date) or not isinstance(valid_until, date):
            errors["valid_until"] = [_("Isi masa berlaku akreditasi (mulai dan sampai).")]
        elif valid_until < valid_from:
            errors["valid_until"] = [_("Akhir masa berlaku tidak boleh sebelum awalnya.")]
    elif not text(note, 10):
        errors["note"] = [_("Tuliskan pertimbangan penolakan.")]
    raise_if(errors)
    accreditation.status = (
        AccreditationStatus.ACCREDITED if accredited else AccreditationStatus.REFUSED
    )
    accreditation.decision_number = number
    accreditation.decided_on = day
    accreditation.decided_by = user
    accreditation.decision_note = text(note, 4000)
    if accredited:
        accreditation.valid_from, accreditation.valid_until = valid_from, valid_until
    stamp(
        accreditation,
        user,
        _("Akreditasi diberikan") if accredited else _("Akreditasi ditolak"),
    )
    accreditation.save()
    return accreditation


@transaction.atomic
def revoke_accreditation(user: Any, accreditation: Accreditation, *, reason: str) -> Accreditation:
    """Ends an accreditation before its time: the provider can no longer enrol members."""
    require_manage(user, accreditation.provider.area_code)
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if accreditation.status != AccreditationStatus.ACCREDITED:
        raise ValidationError(_("Hanya akreditasi yang berlaku yang dapat dicabut."))
    if not text(reason, 10):
        raise ValidationError({"reason": [_("Tuliskan alasan pencabutan.")]})
    accreditation.status = AccreditationStatus.REVOKED
    accreditation.decision_note = (accreditation.decision_note + "\n" + text(reason, 2000)).strip()
    stamp(accreditation, user, _("Akreditasi dicabut"))
    accreditation.save()
    return accreditation


def ensure_may_enrol(provider: Provider, day: date) -> None:
    """A provider enrols members only while its accreditation is in force."""
    from ..rules import provider_accredited

    if not provider.active or not provider_accredited(provider, day):
        raise ValidationError(
            _(
                "Penyelenggara tidak memiliki akreditasi yang berlaku pada %(day)s: "
                "belum dapat mendaftarkan peserta."
            )
            % {"day": day.strftime("%d-%m-%Y")}
        )


__all__ = [
    "create_provider",
    "decide_accreditation",
    "ensure_may_enrol",
    "link_staff",
    "open_accreditation",
    "record_evidence",
    "review_item",
    "revoke_accreditation",
    "unlink_staff",
    "update_provider",
]
