"""Items of a batch: a new household or member, a change, a death, a PPKS, a move."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.history import stamp
from pandu.regions.models import Area
from pandu.registry import actions as registry
from pandu.registry import choices as c
from pandu.registry.models import Household, Person, PPKSAssignment, PPKSCategory
from pandu.registry.validation import clean_kk, clean_nik

from .. import payloads as p
from ..models import BatchStatus, ItemKind, ItemSubject, ProposalBatch, ProposalItem
from ._common import _check_with_registry, _require, _village, log

if TYPE_CHECKING:
    from pandu.accounts.models import User


def _draft_batch(user: User, batch: ProposalBatch) -> ProposalBatch:
    _require(user, Cap.PROPOSE, batch.area_code)
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(_("Usulan yang sudah diajukan tidak dapat diubah."))
    return batch


def _in_batch_village(batch: ProposalBatch, code: str | None, what: str) -> None:
    if code != batch.area_code:
        raise ValidationError(
            _("%(what)s bukan dari desa/kelurahan usulan ini (%(village)s).")
            % {"what": what, "village": batch.village.name}
        )


def _require_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan usulan ini.")]})
    return reason


def _save_item(
    user: User,
    batch: ProposalBatch,
    *,
    kind: str,
    keys: Iterable[str],
    payload: dict[str, Any],
    reason: str = "",
    **fields: Any,
) -> ProposalItem:
    """Store the item, its subjects, and flag open items on the same person or family."""
    item = ProposalItem(
        batch=batch,
        kind=kind,
        area_code=batch.area_code,
        payload=payload,
        reason=reason or "",
        created_by=user,
        **fields,
    )
    keys = sorted(set(keys))
    others = list(ProposalItem.objects.open().filter(subjects__key__in=keys).distinct())
    if others:
        item.warnings = [*item.warnings, "pending_conflict"]
    stamp(item, user, _("Usulan ditambahkan"))
    item.save()
    ItemSubject.objects.bulk_create([ItemSubject(item=item, key=k) for k in keys])
    if others:
        item.conflicts_with.set(others)
        log.info("proposal item %s conflicts with %d open item(s)", item.uid, len(others))
    return item


def _person_key(nik: str) -> str:
    return f"nik:{nik}"


def _household_key(kk: str) -> str:
    return f"kk:{kk}"


@transaction.atomic
def add_household_item(
    user: User,
    batch: ProposalBatch,
    *,
    household: dict[str, Any],
    members: list[dict[str, Any]],
    reason: str = "",
) -> ProposalItem:
    """A new poor family with its members, as the registry would register it."""
    batch = _draft_batch(user, batch)
    household = dict(household)
    village = household.get("village") or batch.area_code
    village_code = village.code if isinstance(village, Area) else str(village)
    _in_batch_village(batch, village_code, _("Alamat keluarga ini"))
    household["village"] = batch.area_code
    decoded = [p.decode(Person, m) for m in members]
    _check_with_registry(
        lambda: registry.register_household(
            user, household=dict(household), members=[dict(m) for m in decoded], reason=reason
        )
    )
    household["kk_number"] = clean_kk(household.get("kk_number"))
    clean_members = []
    for m in decoded:
        m = dict(m)
        m["nik"] = clean_nik(m.get("nik"))[0]
        clean_members.append(p.encode(m))
    keys = [_household_key(household["kk_number"])] + [_person_key(m["nik"]) for m in clean_members]
    return _save_item(
        user,
        batch,
        kind=ItemKind.HOUSEHOLD_NEW,
        keys=keys,
        payload={"household": p.encode(household), "members": clean_members},
        reason=reason,
    )


@transaction.atomic
def add_member_item(
    user: User, batch: ProposalBatch, household: Household, member: dict[str, Any], reason: str = ""
) -> ProposalItem:
    """A newborn, a spouse or anyone joining a family already in the registry."""
    batch = _draft_batch(user, batch)
    _in_batch_village(batch, household.village_id, _("Keluarga ini"))
    data = p.decode(Person, member)
    _check_with_registry(lambda: registry.add_member(user, household, dict(data), reason))
    data["nik"] = clean_nik(data.get("nik"))[0]
    encoded = p.encode(data)
    return _save_item(
        user,
        batch,
        kind=ItemKind.MEMBER_NEW,
        keys=[_person_key(encoded["nik"])],
        payload={"member": encoded},
        reason=reason,
        household=household,
    )


def _changes_only(obj: Any, changes: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """The fields that would really change, as JSON; unknown fields are an error."""
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError(
            _("Isian ini tidak dapat diubah lewat usulan: %(fields)s.")
            % {"fields": ", ".join(unknown)}
        )
    out = {}
    for name, value in p.encode(changes).items():
        if p.current_value(obj, name) != value:
            out[name] = value
    if not out:
        raise ValidationError(_("Tidak ada isian yang berubah."))
    return out


@transaction.atomic
def add_person_change_item(
    user: User, batch: ProposalBatch, person: Person, changes: dict[str, Any], reason: str
) -> ProposalItem:
    """Any change to a person's fields; the current values are kept to detect later changes."""
    batch = _draft_batch(user, batch)
    reason = _require_reason(reason)
    _in_batch_village(batch, person.area_code, person.full_name)
    changed = _changes_only(person, changes, p.PERSON_CHANGE_FIELDS)
    _check_with_registry(
        lambda: registry.update_person(user, person, p.decode(Person, changed), reason)
    )
    return _save_item(
        user,
        batch,
        kind=ItemKind.PERSON_CHANGE,
        keys=[_person_key(person.nik)],
        payload={"changes": changed},
        snapshot={k: p.current_value(person, k) for k in changed},
        reason=reason,
        person=person,
        household=person.household,
    )


@transaction.atomic
def add_household_change_item(
    user: User, batch: ProposalBatch, household: Household, changes: dict[str, Any], reason: str
) -> ProposalItem:
    """Address inside the village, housing, assets, cards: any household field but the village."""
    batch = _draft_batch(user, batch)
    reason = _require_reason(reason)
    _in_batch_village(batch, household.village_id, _("Keluarga ini"))
    changed = _changes_only(household, changes, p.HOUSEHOLD_CHANGE_FIELDS)
    _check_with_registry(
        lambda: registry.update_household(user, household, p.decode(Household, changed), reason)
    )
    return _save_item(
        user,
        batch,
        kind=ItemKind.HOUSEHOLD_CHANGE,
        keys=[_household_key(household.kk_number)],
        payload={"changes": changed},
        snapshot={k: p.current_value(household, k) for k in changed},
        reason=reason,
        household=household,
    )


@transaction.atomic
def add_death_item(
    user: User, batch: ProposalBatch, person: Person, *, on: date, reason: str
) -> ProposalItem:
    batch = _draft_batch(user, batch)
    reason = _require_reason(reason)
    _in_batch_village(batch, person.area_code, person.full_name)
    if person.status != c.PersonStatus.ACTIVE:
        raise ValidationError(
            _("Status orang ini sudah %(status)s.") % {"status": person.get_status_display()}
        )
    _check_with_registry(
        lambda: registry.change_person_status(
            user, person, status=c.PersonStatus.DECEASED, on=on, reason=reason
        )
    )
    return _save_item(
        user,
        batch,
        kind=ItemKind.DEATH,
        keys=[_person_key(person.nik)],
        payload={"date": on.isoformat()},
        snapshot={"status": person.status},
        reason=reason,
        person=person,
        household=person.household,
    )


@transaction.atomic
def add_ppks_item(
    user: User,
    batch: ProposalBatch,
    *,
    category: PPKSCategory,
    person: Person | None = None,
    household: Household | None = None,
    identified_on: date,
    note: str = "",
    reason: str = "",
) -> ProposalItem:
    """A PPKS condition found by the village meeting, for a person or (some) for a family."""
    batch = _draft_batch(user, batch)
    if (person is None) == (household is None):
        raise ValidationError(_("Pilih orang atau keluarga."))
    code = person.area_code if person is not None else household.village_id  # type: ignore[union-attr]
    _in_batch_village(batch, code, _("Orang/keluarga ini"))
    _check_with_registry(
        lambda: registry.assign_ppks(
            user,
            category=category,
            person=person,
            household=household,
            identified_on=identified_on,
            source=PPKSAssignment.Source.VILLAGE_MEETING,
            note=note,
        )
    )
    key = (
        _person_key(person.nik) if person is not None else _household_key(household.kk_number)  # type: ignore[union-attr]
    )
    return _save_item(
        user,
        batch,
        kind=ItemKind.PPKS,
        keys=[key],
        payload={
            "category": category.number,
            "identified_on": identified_on.isoformat(),
            "note": note or "",
        },
        reason=reason,
        person=person,
        household=household if household is not None else person.household,  # type: ignore[union-attr]
        sensitive=category.sensitive,
    )


@transaction.atomic
def add_move_item(
    user: User,
    batch: ProposalBatch,
    household: Household,
    *,
    village: Area | str,
    rt: int,
    rw: int,
    address: str = "",
    reason: str,
) -> ProposalItem:
    """A family moving to another village; to another regency it becomes a handover."""
    batch = _draft_batch(user, batch)
    reason = _require_reason(reason)
    _in_batch_village(batch, household.village_id, _("Keluarga ini"))
    area = _village(village)
    if area.code == household.village_id:
        raise ValidationError(
            {
                "village": [
                    _(
                        "Desa tujuan sama dengan desa sekarang; untuk pindah RT/RW atau alamat "
                        "gunakan usulan perubahan data keluarga."
                    )
                ]
            }
        )
    numbers: dict[str, int] = {}
    errors = {}
    for name, value in (("rt", rt), ("rw", rw)):
        try:
            numbers[name] = int(value)
        except (TypeError, ValueError):
            numbers[name] = -1
        if not 0 <= numbers[name] <= 999:
            errors[name] = [_("Isi angka 0 sampai 999.")]
    if errors:
        raise ValidationError(errors)
    changes = {"village": area.code, **numbers, "address": address or ""}
    warnings = ["inter_regency"] if area.code[:5] != household.village_id[:5] else []
    return _save_item(
        user,
        batch,
        kind=ItemKind.MOVE,
        keys=[_household_key(household.kk_number)],
        payload={"changes": changes},
        snapshot={k: p.current_value(household, k) for k in changes},
        reason=reason,
        household=household,
        warnings=warnings,
    )


@transaction.atomic
def remove_item(user: User, item: ProposalItem) -> None:
    """Take an item out of a draft batch (the deletion is kept in the item's history)."""
    _draft_batch(user, item.batch)
    stamp(item, user, _("Usulan dihapus dari draf"))
    item.delete()
