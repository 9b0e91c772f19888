"""KUBE groups (with their members, registry people, and their group grant) and UEP grants.

A group is also a body in the one list of organisations (kind: community organisation): its
actions keep that body's name, village and activity in step in the same transaction, as the
partner agencies' and PSKS institutions' actions do (decision 0016).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.history import stamp
from pandu.organisations.actions import keep_in_step
from pandu.organisations.models import OrganisationKind
from pandu.regions.models import Area, Level
from pandu.registry.choices import HouseholdStatus, PersonStatus, WorkSector
from pandu.registry.models import Household, Person
from pandu.registry.validation import clean_nik

from ..capabilities import ECap
from ..choices import GroupStatus, MemberRole
from ..models import GraduationPlan, KubeGroup, KubeMember, UepGrant
from ._common import MAX_RUPIAH, past_date, raise_if, require, text

#: Roles a group has one of at a time.
SINGLE_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER)


def _amount(raw: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    """Whole rupiah, more than 0 and at most Rp10 billion."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        errors[field] = [_("Nilai (Rp) wajib diisi.")]
        return None
    try:
        value = None if isinstance(raw, bool) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        errors[field] = [_("Nilai (Rp) harus bilangan bulat rupiah.")]
        return None
    if not 0 < value <= MAX_RUPIAH:
        errors[field] = [_("Nilai (Rp) harus lebih dari 0 dan tidak lebih dari Rp10 miliar.")]
        return None
    return value


def _sector(raw: Any, errors: dict[str, list[str]]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if value not in WorkSector.values:
        errors["sector"] = [_("Pilih lapangan usaha dari daftar.")]
        return None
    return value


def _body(user: Any, group: KubeGroup):
    """The group's body in the list of organisations, following the group."""
    return keep_in_step(
        user,
        getattr(group, "organisation", None) if group.organisation_id else None,
        name=group.name,
        short_name=_("KUBE"),
        kind=OrganisationKind.COMMUNITY,
        area=group.village,
        active=group.status == GroupStatus.ACTIVE,
    )


# --- Groups -----------------------------------------------------------------------------------


GROUP_FIELDS = ("name", "business_type", "sector", "formed_on", "status", "note")


def _clean_group(group: KubeGroup, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if "name" in data:
        group.name = text(data["name"], 150)
        if not group.name:
            errors["name"] = [_("Nama kelompok wajib diisi.")]
    if "business_type" in data:
        group.business_type = text(data["business_type"], 200)
        if not group.business_type:
            errors["business_type"] = [_("Jenis usaha kelompok wajib diisi.")]
    if "sector" in data:
        group.sector = _sector(data["sector"], errors)
    if "formed_on" in data:
        day = past_date(data["formed_on"], "formed_on", _("Tanggal dibentuk"), errors)
        if day is not None:
            group.formed_on = day
    if "status" in data:
        if data["status"] not in GroupStatus.values:
            errors["status"] = [_("Pilih status kelompok.")]
        else:
            group.status = data["status"]
    if "note" in data:
        group.note = text(data["note"], 4000)


def _save_group(group: KubeGroup, user: Any, reason: str) -> KubeGroup:
    try:
        with transaction.atomic():
            group.organisation = _body(user, group)
            stamp(group, user, reason)
            group.save()
    except IntegrityError:
        raise ValidationError(
            {"name": [_("Sudah ada kelompok KUBE dengan nama ini di desa tersebut.")]}
        ) from None
    return group


@transaction.atomic
def create_group(user: Any, *, village: Area | None, **data: Any) -> KubeGroup:
    """A KUBE group of a village: its name, business, the day it was formed."""
    if village is None or village.level != Level.VILLAGE:
        raise ValidationError({"village": [_("Pilih desa/kelurahan tempat kelompok berada.")]})
    require(user, ECap.ACCOMPANY, village.code)
    group = KubeGroup(village=village)
    errors: dict[str, list[str]] = {}
    _clean_group(group, {k: data.get(k) for k in GROUP_FIELDS if k != "status"}, errors)
    raise_if(errors)
    return _save_group(group, user, _("Kelompok KUBE dibentuk"))


@transaction.atomic
def update_group(user: Any, group: KubeGroup, **data: Any) -> KubeGroup:
    require(user, ECap.ACCOMPANY, group.village_id)
    group = KubeGroup.objects.select_for_update().select_related("village").get(pk=group.pk)
    errors: dict[str, list[str]] = {}
    _clean_group(group, {k: v for k, v in data.items() if k in GROUP_FIELDS}, errors)
    if group.grant_received_on and group.formed_on and group.grant_received_on < group.formed_on:
        errors["formed_on"] = [_("Kelompok tidak dapat dibentuk setelah hibahnya diterima.")]
    raise_if(errors)
    return _save_group(group, user, _("Data kelompok KUBE diubah"))


@transaction.atomic
def record_group_grant(
    user: Any, group: KubeGroup, *, amount: Any, received_on: date | None, note: str = ""
) -> KubeGroup:
    """The grant the group received (the KUBE programme's group grant)."""
    require(user, ECap.MANAGE, group.village_id)
    group = KubeGroup.objects.select_for_update().get(pk=group.pk)
    errors: dict[str, list[str]] = {}
    value = _amount(amount, "amount", errors)
    day = past_date(received_on, "received_on", _("Tanggal hibah diterima"), errors)
    if day is not None and day < group.formed_on:
        errors["received_on"] = [_("Hibah tidak dapat diterima sebelum kelompok dibentuk.")]
    raise_if(errors)
    group.grant_amount = value
    group.grant_received_on = day
    group.grant_note = text(note, 300)
    stamp(group, user, _("Hibah KUBE dicatat"))
    group.save()
    return group


# --- Members ----------------------------------------------------------------------------------


def person_by_nik(user: Any, nik: str) -> Person:
    """A registry person the user may see, by NIK (typed in a form, never in a URL)."""
    try:
        value, _result = clean_nik(nik)
    except ValidationError as exc:
        raise ValidationError({"nik": exc.messages}) from None
    person = Person.objects.visible_to(user).filter(nik=value).first()
    if person is None:
        raise ValidationError(
            {"nik": [_("NIK ini tidak ditemukan pada registri yang dapat Anda lihat.")]}
        )
    return person


@transaction.atomic
def add_member(
    user: Any,
    group: KubeGroup,
    *,
    person: Person,
    role: str = MemberRole.MEMBER,
    business: str = "",
    plan: GraduationPlan | None = None,
    on: date | None = None,
) -> KubeMember:
    """A registry person living in the group's district joins it, with their own business."""
    require(user, ECap.ACCOMPANY, group.village_id)
    group = KubeGroup.objects.select_for_update().get(pk=group.pk)
    errors: dict[str, list[str]] = {}
    if group.status != GroupStatus.ACTIVE:
        raise ValidationError(_("Kelompok ini sudah bubar; tidak dapat menerima anggota."))
    if person.status != PersonStatus.ACTIVE:
        errors["nik"] = [
            _("%(name)s berstatus '%(status)s' di registri; tidak dapat menjadi anggota.")
            % {"name": person.full_name, "status": person.get_status_display()}
        ]
    elif not person.area_code.startswith(group.village_id[:8]):
        errors["nik"] = [_("Anggota KUBE harus tinggal di kecamatan yang sama dengan kelompok.")]
    if role not in MemberRole.values:
        errors["role"] = [_("Pilih jabatan dalam kelompok.")]
    elif role in SINGLE_ROLES and group.members.current().filter(role=role).exists():
        errors["role"] = [
            _("Jabatan '%(role)s' di kelompok ini sudah terisi.") % {"role": MemberRole(role).label}
        ]
    day = past_date(on or timezone.localdate(), "joined_on", _("Tanggal bergabung"), errors)
    if day is not None and day < group.formed_on:
        errors["joined_on"] = [_("Tanggal bergabung tidak boleh sebelum kelompok dibentuk.")]
    if group.members.current().filter(person=person).exists():
        errors["nik"] = [_("Orang ini sudah menjadi anggota kelompok.")]
    raise_if(errors)
    assert day is not None  # an error above otherwise
    member = KubeMember(
        group=group,
        person=person,
        plan=plan,
        role=role,
        business=text(business, 200),
        joined_on=day,
    )
    stamp(member, user, _("Anggota KUBE bergabung"))
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"nik": [_("Orang ini sudah menjadi anggota kelompok.")]}) from None
    return member


@transaction.atomic
def end_member(user: Any, member: KubeMember, *, left_on: date | None, reason: str) -> KubeMember:
    require(user, ECap.ACCOMPANY, member.group.village_id)
    member = KubeMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise ValidationError(_("Anggota ini sudah keluar dari kelompok."))
    errors: dict[str, list[str]] = {}
    day = past_date(left_on or timezone.localdate(), "left_on", _("Tanggal keluar"), errors)
    if day is not None and day < member.joined_on:
        errors["left_on"] = [_("Tanggal keluar tidak boleh sebelum tanggal bergabung.")]
    if not text(reason, 300):
        errors["reason"] = [_("Tuliskan alasan keluar.")]
    raise_if(errors)
    member.left_on = day
    member.left_reason = text(reason, 300)
    stamp(member, user, member.left_reason)
    member.save()
    return member


# --- UEP grants -------------------------------------------------------------------------------


@transaction.atomic
def record_uep_grant(
    user: Any,
    household: Household,
    *,
    amount: Any,
    granted_on: date | None,
    business: str,
    recipient: Person | None = None,
    sector: Any = None,
    note: str = "",
    plan: GraduationPlan | None = None,
) -> UepGrant:
    """A family's productive-economic grant: how much, when, for which business."""
    require(user, ECap.MANAGE, household.village_id)
    if household.status != HouseholdStatus.ACTIVE:
        raise ValidationError(
            _("Keluarga ini berstatus '%(status)s' di registri; hibah UEP tidak dapat dicatat.")
            % {"status": household.get_status_display()}
        )
    errors: dict[str, list[str]] = {}
    value = _amount(amount, "amount", errors)
    day = past_date(granted_on, "granted_on", _("Tanggal diterima"), errors)
    if not text(business, 200):
        errors["business"] = [_("Tuliskan usaha yang dibiayai hibah.")]
    code = _sector(sector, errors)
    if recipient is not None and (
        recipient.household_id != household.pk or recipient.status != PersonStatus.ACTIVE
    ):
        errors["recipient"] = [_("Penerima harus anggota aktif keluarga ini.")]
    raise_if(errors)
    assert value is not None and day is not None  # an error above otherwise
    grant = UepGrant(
        household=household,
        recipient=recipient,
        plan=plan,
        area_code=household.village_id,
        amount=value,
        granted_on=day,
        business=text(business, 200),
        sector=code,
        note=text(note, 300),
        recorded_by=user,
    )
    stamp(grant, user, _("Hibah UEP dicatat"))
    grant.save()
    return grant
