"""Every step of the update cycle: propose, submit, verify, decide, apply, hand over.

Each function takes the acting user, checks their capability and area, writes in one transaction
and stamps the history (django-simple-history) with who and why. Only ``_apply`` changes the
registry, and only through ``pandu.registry.actions``: an item whose application fails stays
"approved, not applied" with the error, and nothing of it is half-written (a savepoint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pandu.regions.models import Area, Level
from pandu.registry import actions as registry
from pandu.registry import choices as c
from pandu.registry.models import Household, Person, PPKSAssignment, PPKSCategory
from pandu.registry.validation import clean_kk, clean_nik

from . import payloads as p
from .models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    BatchStatus,
    Handover,
    HandoverStatus,
    ItemKind,
    ItemStatus,
    ItemSubject,
    MemberResult,
    ProposalBatch,
    ProposalItem,
)
from .permissions import PCap, may
from .uploads import MINUTES_TYPES, PHOTO_TYPES, check_upload

if TYPE_CHECKING:
    from pandu.accounts.models import User

log = logging.getLogger("pandu.proposals")


class StaleData(ValidationError):
    """The record changed after the proposal was made, on fields the proposal also changes.

    ``fields``: {field: {"before": value at proposal, "current": value now, "proposed": value}}.
    """

    def __init__(self, fields: dict[str, dict[str, Any]]):
        self.fields = fields
        super().__init__(
            _(
                "Data di registri sudah berubah sejak diusulkan. Pilih nilai yang dipakai untuk "
                "setiap isian yang berbeda."
            ),
            code="stale",
        )


class _DryRun(Exception):
    pass


# --- Helpers --------------------------------------------------------------------------------


def _require(user: User, cap: str, area_code: str) -> None:
    if not may(user, cap) or not user.in_scope(area_code):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini di wilayah tersebut."))


def _stamp(obj: Any, user: User, reason: str = "") -> None:
    obj._history_user = user
    obj._change_reason = reason or ""


def _village(value: Area | str | None) -> Area:
    area = value if isinstance(value, Area) else Area.objects.filter(code=value or "").first()
    if area is None:
        raise ValidationError({"village": [_("Kode desa/kelurahan tidak dikenal.")]})
    if area.level != Level.VILLAGE:
        raise ValidationError(
            {"village": [_("Pilih desa/kelurahan, bukan wilayah yang lebih luas.")]}
        )
    return area


def _check_with_registry(fn: Callable[[], Any]) -> None:
    """Run a registry action in a savepoint and roll it back.

    The registry's own rules decide whether a proposal could be applied, so the operator learns
    of a wrong NIK or a second head of household now, not weeks later at the approval.
    """
    try:
        with transaction.atomic():
            fn()
            raise _DryRun
    except _DryRun:
        pass


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [m for msgs in exc.message_dict.values() for m in msgs]
        return list(exc.messages)
    return [str(exc)]


def _registry_reason(item: ProposalItem) -> str:
    batch = item.batch
    return _("Usulan %(ref)s (musdes %(date)s): %(reason)s") % {
        "ref": batch.ref,
        "date": date_format(batch.meeting_date, "d-m-Y"),
        "reason": item.reason or item.get_kind_display(),
    }


def _refresh_batch(batch: ProposalBatch, user: User) -> None:
    """A batch is verified when no item waits for a visit, decided when every item is decided."""
    if batch.status == BatchStatus.DRAFT:
        return
    statuses = set(batch.items.values_list("status", flat=True))
    status = BatchStatus.SUBMITTED
    if statuses and ItemStatus.PENDING not in statuses:
        status = BatchStatus.VERIFIED
    if statuses and statuses <= set(DECIDED_STATUSES):
        status = BatchStatus.DECIDED
    if status != batch.status:
        now = timezone.now()
        batch.status = status
        if status in (BatchStatus.VERIFIED, BatchStatus.DECIDED) and batch.verified_at is None:
            batch.verified_at = now
        if status == BatchStatus.DECIDED:
            batch.decided_at = now
        _stamp(batch, user, str(BatchStatus(status).label))
        batch.save()


def _lock_item(item: ProposalItem) -> ProposalItem:
    return ProposalItem.objects.select_for_update().select_related("batch").get(pk=item.pk)


# --- Batches --------------------------------------------------------------------------------


def _set_minutes(batch: ProposalBatch, upload) -> None:
    try:
        ftype = check_upload(upload, MINUTES_TYPES)
    except ValidationError as e:
        raise ValidationError({"minutes": e.messages}) from None
    batch.minutes_name = PurePosixPath(upload.name or "").name[:200]
    batch.minutes_type = ftype.content_type
    batch.minutes = upload


@transaction.atomic
def create_batch(
    user: User, *, village: Area | str, meeting_date: date, minutes=None, note: str = ""
) -> ProposalBatch:
    """A new proposal from one village meeting; items are added while it is a draft."""
    area = _village(village)
    _require(user, PCap.PROPOSE, area.code)
    if meeting_date > date.today():
        raise ValidationError(
            {"meeting_date": [_("Tanggal musyawarah tidak boleh di masa depan.")]}
        )
    batch = ProposalBatch(
        village=area,
        area_code=area.code,
        meeting_date=meeting_date,
        note=note or "",
        created_by=user,
    )
    if minutes is not None:
        _set_minutes(batch, minutes)
    _stamp(batch, user, _("Usulan dibuat"))
    batch.save()
    return batch


@transaction.atomic
def attach_minutes(user: User, batch: ProposalBatch, minutes) -> ProposalBatch:
    """Upload (or replace) the minutes while the batch is a draft; the old file is kept."""
    _require(user, PCap.PROPOSE, batch.area_code)
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(_("Usulan yang sudah diajukan tidak dapat diubah."))
    _set_minutes(batch, minutes)
    _stamp(batch, user, _("Berita acara diunggah"))
    batch.save()
    return batch


@transaction.atomic
def submit_batch(user: User, batch: ProposalBatch) -> ProposalBatch:
    """Send the batch for verification: it needs the minutes and at least one item."""
    _require(user, PCap.PROPOSE, batch.area_code)
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(_("Usulan ini sudah diajukan."))
    errors = []
    if not batch.minutes:
        errors.append(_("Unggah berita acara musyawarah desa sebelum mengajukan."))
    if not batch.items.exists():
        errors.append(_("Tambahkan paling sedikit satu usulan sebelum mengajukan."))
    if errors:
        raise ValidationError(errors)
    batch.status = BatchStatus.SUBMITTED
    batch.submitted_at = timezone.now()
    batch.submitted_by = user
    _stamp(batch, user, _("Usulan diajukan untuk verifikasi"))
    batch.save()
    return batch


# --- Items ----------------------------------------------------------------------------------


def _draft_batch(user: User, batch: ProposalBatch) -> ProposalBatch:
    _require(user, PCap.PROPOSE, batch.area_code)
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
    _stamp(item, user, _("Usulan ditambahkan"))
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
    _stamp(item, user, _("Usulan dihapus dari draf"))
    item.delete()


# --- Verification ---------------------------------------------------------------------------


def _require_open_batch(item: ProposalItem) -> None:
    if item.batch.status == BatchStatus.DRAFT:
        raise ValidationError(_("Usulan ini masih draf dan belum diajukan."))


@transaction.atomic
def plan_visit(user: User, item: ProposalItem, on: date | None) -> ProposalItem:
    """The TKSK's own plan: which day he will knock on this door."""
    _require(user, PCap.VERIFY, item.area_code)
    item = _lock_item(item)
    _require_open_batch(item)
    item.visit_planned_on = on
    _stamp(item, user, _("Rencana kunjungan"))
    item.save()
    return item


def _normalise_results(item: ProposalItem, results: dict[str, Any]) -> dict[str, dict]:
    subjects = p.verification_subjects(item)
    valid = set(MemberResult.values)
    out: dict[str, dict] = {}
    missing = []
    for s in subjects:
        raw = results.get(s.key)
        if isinstance(raw, str):
            raw = {"result": raw}
        result = (raw or {}).get("result", "")
        if result not in valid:
            missing.append(s.name or s.key)
            continue
        out[s.key] = {
            "name": s.name,
            "result": result,
            "note": str((raw or {}).get("note", "") or "")[:500],
        }
    if missing:
        raise ValidationError(
            {
                "results": [
                    _("Isi hasil verifikasi untuk: %(names)s.") % {"names": ", ".join(missing)}
                ]
            }
        )
    return out


@transaction.atomic
def verify_item(
    user: User,
    item: ProposalItem,
    *,
    results: dict[str, Any],
    note: str = "",
    visited: bool = True,
    photo=None,
    resolutions: dict[str, str] | None = None,
) -> ProposalItem:
    """Record the field visit: a result per person, a note, and optionally a photo.

    A verifier may verify again until the item is decided; the history keeps each version.
    """
    _require(user, PCap.VERIFY, item.area_code)
    item = _lock_item(item)
    _require_open_batch(item)
    if item.status not in (ItemStatus.PENDING, ItemStatus.VERIFIED):
        raise ValidationError(_("Usulan ini sudah ditetapkan."))
    item.member_results = _normalise_results(item, results)
    if photo is not None:
        try:
            check_upload(photo, PHOTO_TYPES)
        except ValidationError as e:
            raise ValidationError({"photo": e.messages}) from None
        item.visit_photo = photo
    if resolutions:
        _record_resolutions(user, item, resolutions)
    item.verification_note = note or ""
    item.visited = bool(visited)
    item.verified_by = user
    item.verified_at = timezone.now()
    item.status = ItemStatus.VERIFIED
    _stamp(item, user, note or _("Verifikasi lapangan"))
    item.save()
    _refresh_batch(item.batch, user)
    return item


# --- Stale data -----------------------------------------------------------------------------

_MISSING = object()


def _fresh_target(item: ProposalItem) -> Any:
    model = p.target_model(item)
    pk = item.person_id if model is Person else item.household_id
    return model._default_manager.get(pk=pk)


def stale_fields(item: ProposalItem) -> dict[str, dict[str, Any]]:
    """Fields whose value changed after the proposal and differs from what is proposed.

    A field is no longer in conflict once someone chose which value to keep, as long as the
    current value is still the one they saw when choosing.
    """
    proposed = p.proposed_fields(item)
    if not proposed:
        return {}
    obj = _fresh_target(item)
    conflicts = {}
    for name, new in proposed.items():
        before = item.snapshot.get(name, _MISSING)
        now = p.current_value(obj, name)
        if before is _MISSING or now in (new, before):
            continue
        chosen = (item.resolutions or {}).get(name)
        if chosen and chosen.get("seen") == now:
            continue
        conflicts[name] = {"before": before, "current": now, "proposed": new}
    return conflicts


def _effective_changes(item: ProposalItem) -> dict[str, Any]:
    """What to write: proposed values, minus fields already so and fields kept as they are now."""
    conflicts = stale_fields(item)
    if conflicts:
        raise StaleData(conflicts)
    obj = _fresh_target(item)
    out = {}
    for name, new in p.proposed_fields(item).items():
        now = p.current_value(obj, name)
        if now == new:
            continue
        chosen = (item.resolutions or {}).get(name)
        if chosen and chosen.get("seen") == now and chosen.get("keep") == "current":
            continue
        out[name] = new
    return out


def _record_resolutions(user: User, item: ProposalItem, choices: dict[str, str]) -> None:
    conflicts = stale_fields(item)
    missing = [p.field_label(p.target_model(item), f) for f in conflicts if f not in choices]
    bad = [f for f in conflicts if f in choices and choices[f] not in ("current", "proposed")]
    if missing or bad:
        raise ValidationError(
            {
                "resolutions": [
                    _("Pilih nilai yang dipakai untuk: %(fields)s.")
                    % {"fields": ", ".join(missing or bad)}
                ]
            }
        )
    resolutions = dict(item.resolutions or {})
    now = timezone.now().isoformat()
    for name, values in conflicts.items():
        resolutions[name] = {
            "keep": choices[name],
            "seen": values["current"],
            "before": values["before"],
            "proposed": values["proposed"],
            "by": user.get_username(),
            "at": now,
        }
    item.resolutions = resolutions
    item.stale = {}


@transaction.atomic
def resolve_conflict(user: User, item: ProposalItem, choices: dict[str, str]) -> ProposalItem:
    """The verifier or the approver chooses, field by field, between the value now in the
    registry and the proposed one. An approved item is applied right after."""
    if not ((may(user, PCap.DECIDE) or may(user, PCap.VERIFY)) and user.in_scope(item.area_code)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini di wilayah tersebut."))
    item = _lock_item(item)
    _require_open_batch(item)
    if item.status not in OPEN_STATUSES:
        raise ValidationError(_("Usulan ini sudah selesai."))
    _record_resolutions(user, item, choices)
    _stamp(item, user, _("Pilihan nilai untuk data yang berubah"))
    item.save()
    if item.status == ItemStatus.APPROVED and may(user, PCap.DECIDE):
        _apply(user, item)
        _refresh_batch(item.batch, user)
    return item


# --- Decision and application ---------------------------------------------------------------


def _person(item: ProposalItem) -> Person:
    """The item's person as the registry holds it now; a change to someone who died or moved
    away meanwhile is not written (the approver sees why)."""
    if item.person_id is None:
        raise ValidationError(_("Usulan ini tidak menyebut penduduk."))
    person = Person.objects.get(pk=item.person_id)
    if person.status != c.PersonStatus.ACTIVE and item.kind != ItemKind.DEATH:
        raise ValidationError(
            _("Status penduduk ini sekarang %(status)s; usulan tidak dapat diterapkan.")
            % {"status": person.get_status_display()}
        )
    return person


def _household(item: ProposalItem) -> Household:
    if item.household_id is None:
        raise ValidationError(_("Usulan ini tidak menyebut keluarga."))
    household = Household.objects.get(pk=item.household_id)
    if household.status != c.HouseholdStatus.ACTIVE:
        raise ValidationError(
            _("Status keluarga ini sekarang %(status)s; usulan tidak dapat diterapkan.")
            % {"status": household.get_status_display()}
        )
    return household


def _results(item: ProposalItem) -> dict[str, dict]:
    return item.member_results or {}


def _check_supported(item: ProposalItem) -> None:
    """Never write what the field visit contradicted."""
    results = _results(item)
    supporting = p.supporting_results(item)
    labels = dict(MemberResult.choices)
    if p.is_person_level(item):
        found = [r.get("result") for r in results.values()]
        if not found or found[0] not in supporting:
            raise ValidationError(
                _(
                    "Hasil verifikasi lapangan tidak mendukung usulan ini (%(result)s). Tolak "
                    "usulan ini atau minta verifikasi ulang."
                )
                % {"result": labels.get(str(found[0]), "—") if found else "—"}
            )
    elif not any(r.get("result") == MemberResult.CONFIRMED for r in results.values()):
        raise ValidationError(
            _("Tidak ada anggota keluarga yang terkonfirmasi saat verifikasi lapangan.")
        )


def _apply_household_new(user: User, item: ProposalItem) -> None:
    results = _results(item)
    members = [
        p.decode(Person, m)
        for i, m in enumerate(item.payload.get("members", []))
        if results.get(str(i), {}).get("result") == MemberResult.CONFIRMED
    ]
    if not members:
        raise ValidationError(
            _("Tidak ada anggota keluarga yang terkonfirmasi saat verifikasi lapangan.")
        )
    hh = registry.register_household(
        user,
        household=p.decode(Household, item.payload["household"]),
        members=members,
        reason=_registry_reason(item),
    )
    item.result_household = hh


def _apply_member_new(user: User, item: ProposalItem) -> None:
    _check_supported(item)
    assert item.household is not None
    person = registry.add_member(
        user,
        item.household,
        p.decode(Person, item.payload["member"]),
        _registry_reason(item),
    )
    item.result_person = person


def _apply_person_change(user: User, item: ProposalItem) -> None:
    _check_supported(item)
    changes = _effective_changes(item)
    if changes:
        person = _person(item)
        registry.update_person(user, person, p.decode(Person, changes), _registry_reason(item))
    item.result_person_id = item.person_id


def _apply_household_change(user: User, item: ProposalItem) -> None:
    _check_supported(item)
    changes = _effective_changes(item)
    if changes:
        household = _household(item)
        registry.update_household(
            user, household, p.decode(Household, changes), _registry_reason(item)
        )
    item.result_household_id = item.household_id


def _apply_death(user: User, item: ProposalItem) -> None:
    _check_supported(item)
    changes = _effective_changes(item)
    if changes.get("status") == c.PersonStatus.DECEASED:
        person = _person(item)
        registry.record_death(
            user,
            person,
            on=date.fromisoformat(item.payload["date"]),
            reason=_registry_reason(item),
        )
    item.result_person_id = item.person_id


def _apply_ppks(user: User, item: ProposalItem) -> None:
    _check_supported(item)
    category = PPKSCategory.objects.get(number=item.payload["category"])
    person = _person(item) if item.person_id else None
    household = None if person is not None else _household(item)
    registry.assign_ppks(
        user,
        category=category,
        person=person,
        household=household,
        identified_on=date.fromisoformat(item.payload["identified_on"]),
        source=PPKSAssignment.Source.VILLAGE_MEETING,
        note=item.payload.get("note", ""),
        verified=True,
        reason=_registry_reason(item),
    )


def _apply_move(user: User, item: ProposalItem) -> bool:
    """Inside the regency the household moves now; to another regency the origin releases it
    and the item waits (False) until the destination accepts."""
    _check_supported(item)
    changes = _effective_changes(item)
    household = _household(item)
    new_village = changes.get("village")
    if new_village and new_village[:5] != household.village_id[:5]:
        # Another regency: the origin releases here; the destination accepts later.
        full = {**{k: p.current_value(household, k) for k in p.MOVE_FIELDS}, **changes}
        handover = Handover(
            item=item,
            household=household,
            from_village_id=household.village_id,
            to_village=_village(new_village),
            from_code=household.village_id,
            to_code=new_village,
            changes=full,
            released_by=user,
            released_at=timezone.now(),
        )
        _stamp(handover, user, _registry_reason(item))
        handover.save()
        return False
    if changes:
        registry.update_household(
            user, household, p.decode(Household, changes), _registry_reason(item)
        )
    item.result_household_id = item.household_id
    return True


APPLY: dict[str, Callable[[User, ProposalItem], bool | None]] = {
    ItemKind.HOUSEHOLD_NEW: _apply_household_new,
    ItemKind.MEMBER_NEW: _apply_member_new,
    ItemKind.PERSON_CHANGE: _apply_person_change,
    ItemKind.HOUSEHOLD_CHANGE: _apply_household_change,
    ItemKind.DEATH: _apply_death,
    ItemKind.PPKS: _apply_ppks,
    ItemKind.MOVE: _apply_move,
}


def _apply(user: User, item: ProposalItem) -> bool:
    """Write an approved item to the registry; True when it is in. On failure the savepoint
    rolls back everything the item wrote and the error is kept on the item."""
    try:
        with transaction.atomic():
            done = APPLY[item.kind](user, item) is not False
    except StaleData as exc:
        item.stale = exc.fields
        item.apply_error = exc.messages[0]
        _stamp(item, user, _("Gagal diterapkan: data berubah sejak diusulkan"))
        item.save()
        return False
    except (ValidationError, PermissionDenied) as exc:
        item.apply_error = " ".join(_messages(exc))
        item.stale = {}
        _stamp(item, user, _("Gagal diterapkan"))
        item.save()
        return False
    if not done:
        item.apply_error = ""
        item.stale = {}
        _stamp(item, user, _("Menunggu serah terima daerah tujuan"))
        item.save()
        return False
    item.status = ItemStatus.APPLIED
    item.applied_at = timezone.now()
    item.apply_error = ""
    item.stale = {}
    _stamp(item, user, _("Diterapkan ke registri"))
    item.save()
    return True


@transaction.atomic
def decide_item(
    user: User,
    item: ProposalItem,
    *,
    approve: bool,
    reason: str = "",
    resolutions: dict[str, str] | None = None,
) -> ProposalItem:
    """Approve (and apply) or reject one item. A rejection needs a reason the proposer sees."""
    _require(user, PCap.DECIDE, item.area_code)
    item = _lock_item(item)
    _require_open_batch(item)
    reason = " ".join((reason or "").split())
    if item.status in DECIDED_STATUSES:
        raise ValidationError(_("Usulan ini sudah ditetapkan."))
    if approve and item.status != ItemStatus.VERIFIED:
        raise ValidationError(_("Usulan ini belum diverifikasi di lapangan."))
    if not approve and not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan penolakan.")]})
    if approve and resolutions:
        _record_resolutions(user, item, resolutions)
    item.status = ItemStatus.APPROVED if approve else ItemStatus.REJECTED
    item.decided_by = user
    item.decided_at = timezone.now()
    item.decision_reason = reason
    _stamp(item, user, reason or (_("Disetujui") if approve else _("Ditolak")))
    item.save()
    if approve:
        _apply(user, item)
    _refresh_batch(item.batch, user)
    return item


@dataclass
class BulkResult:
    decided: list[ProposalItem] = field(default_factory=list)
    applied: list[ProposalItem] = field(default_factory=list)
    not_applied: list[ProposalItem] = field(default_factory=list)
    skipped: list[tuple[ProposalItem, str]] = field(default_factory=list)


def decide_items(
    user: User, items: Iterable[ProposalItem], *, approve: bool, reason: str = ""
) -> BulkResult:
    """The same decision for many items; each is its own transaction, so one item that cannot
    be decided (or applied) does not hold back the others."""
    if not approve and not " ".join((reason or "").split()):
        raise ValidationError({"reason": [_("Tuliskan alasan penolakan.")]})
    out = BulkResult()
    for item in items:
        try:
            done = decide_item(user, item, approve=approve, reason=reason)
        except (ValidationError, PermissionDenied) as exc:
            out.skipped.append((item, " ".join(_messages(exc))))
            continue
        out.decided.append(done)
        if done.status == ItemStatus.APPLIED:
            out.applied.append(done)
        elif done.status == ItemStatus.APPROVED:
            out.not_applied.append(done)
    return out


@transaction.atomic
def apply_item(user: User, item: ProposalItem) -> ProposalItem:
    """Try an approved item again (after the data it needed was corrected)."""
    _require(user, PCap.DECIDE, item.area_code)
    item = _lock_item(item)
    if item.status != ItemStatus.APPROVED:
        raise ValidationError(_("Hanya usulan yang disetujui dan belum masuk registri."))
    if Handover.objects.filter(item=item, status=HandoverStatus.AWAITING).exists():
        raise ValidationError(_("Usulan ini menunggu serah terima daerah tujuan."))
    _apply(user, item)
    _refresh_batch(item.batch, user)
    return item


# --- Handover between regencies -------------------------------------------------------------


def _transfer_household(user: User, handover: Handover, reason: str) -> Household:
    household = Household.objects.get(pk=handover.household_id)
    if household.village_id != handover.from_code:
        raise ValidationError(
            _("Keluarga ini sudah tidak berada di desa asal; serah terima tidak dapat diterima.")
        )
    return registry.transfer_household(
        user, household, to_village=handover.to_code, reason=reason, changes=handover.changes
    )


def _require_destination(user: User, handover: Handover) -> None:
    if not may(user, PCap.DECIDE) or not user.in_scope(handover.to_code):
        raise PermissionDenied(_("Hanya Dinas Sosial daerah tujuan yang dapat menjawab."))


@transaction.atomic
def accept_handover(user: User, handover: Handover, note: str = "") -> Handover:
    """The destination regency takes the household in; both sides are named in its history."""
    _require_destination(user, handover)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.status != HandoverStatus.AWAITING:
        raise ValidationError(_("Serah terima ini sudah dijawab."))
    names = dict(
        Area.objects.filter(
            code__in=[
                handover.from_code,
                handover.to_code,
                handover.from_code[:5],
                handover.to_code[:5],
            ]
        ).values_list("code", "name")
    )
    released_by = handover.released_by.get_username() if handover.released_by else "—"
    reason = _(
        "Serah terima: dilepas oleh %(from_regency)s (%(from_village)s, %(released_by)s, "
        "%(released_at)s), diterima oleh %(to_regency)s (%(to_village)s, %(accepted_by)s)."
    ) % {
        "from_regency": names.get(handover.from_code[:5], handover.from_code[:5]),
        "from_village": names.get(handover.from_code, handover.from_code),
        "released_by": released_by,
        "released_at": date_format(timezone.localtime(handover.released_at), "d-m-Y")
        if handover.released_at
        else "—",
        "to_regency": names.get(handover.to_code[:5], handover.to_code[:5]),
        "to_village": names.get(handover.to_code, handover.to_code),
        "accepted_by": user.get_username(),
    }
    _transfer_household(user, handover, reason)
    now = timezone.now()
    handover.status = HandoverStatus.ACCEPTED
    handover.answered_by = user
    handover.answered_at = now
    handover.answer_note = note or ""
    _stamp(handover, user, note or _("Diterima"))
    handover.save()
    item = _lock_item(handover.item)
    item.status = ItemStatus.APPLIED
    item.applied_at = now
    item.apply_error = ""
    item.result_household_id = handover.household_id
    _stamp(item, user, reason)
    item.save()
    _refresh_batch(item.batch, user)
    return handover


@transaction.atomic
def refuse_handover(user: User, handover: Handover, reason: str) -> Handover:
    """The destination declines; the household stays where it is and the proposer sees why."""
    _require_destination(user, handover)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan penolakan.")]})
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.status != HandoverStatus.AWAITING:
        raise ValidationError(_("Serah terima ini sudah dijawab."))
    handover.status = HandoverStatus.REFUSED
    handover.answered_by = user
    handover.answered_at = timezone.now()
    handover.answer_note = reason
    _stamp(handover, user, reason)
    handover.save()
    item = _lock_item(handover.item)
    item.apply_error = _("Daerah tujuan menolak serah terima: %(reason)s") % {"reason": reason}
    _stamp(item, user, item.apply_error)
    item.save()
    return handover
