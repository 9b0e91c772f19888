"""Decisions (penetapan) on items and their application to the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.history import stamp
from pandu.registry import actions as registry
from pandu.registry import choices as c
from pandu.registry.models import Household, Person, PPKSAssignment, PPKSCategory

from .. import payloads as p
from ..models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Handover,
    HandoverStatus,
    ItemKind,
    ItemStatus,
    MemberResult,
    ProposalItem,
)
from ._common import (
    StaleData,
    _lock_item,
    _messages,
    _refresh_batch,
    _registry_reason,
    _require,
    _require_open_batch,
    _village,
)
from .stale import _effective_changes, _record_resolutions

if TYPE_CHECKING:
    from pandu.accounts.models import User


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
        stamp(handover, user, _registry_reason(item))
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
        stamp(item, user, _("Gagal diterapkan: data berubah sejak diusulkan"))
        item.save()
        return False
    except (ValidationError, PermissionDenied) as exc:
        item.apply_error = " ".join(_messages(exc))
        item.stale = {}
        stamp(item, user, _("Gagal diterapkan"))
        item.save()
        return False
    if not done:
        item.apply_error = ""
        item.stale = {}
        stamp(item, user, _("Menunggu serah terima daerah tujuan"))
        item.save()
        return False
    item.status = ItemStatus.APPLIED
    item.applied_at = timezone.now()
    item.apply_error = ""
    item.stale = {}
    stamp(item, user, _("Diterapkan ke registri"))
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
    _require(user, Cap.DECIDE, item.area_code)
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
    stamp(item, user, reason or (_("Disetujui") if approve else _("Ditolak")))
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
    _require(user, Cap.DECIDE, item.area_code)
    item = _lock_item(item)
    if item.status != ItemStatus.APPROVED:
        raise ValidationError(_("Hanya usulan yang disetujui dan belum masuk registri."))
    if Handover.objects.filter(item=item, status=HandoverStatus.AWAITING).exists():
        raise ValidationError(_("Usulan ini menunggu serah terima daerah tujuan."))
    _apply(user, item)
    _refresh_batch(item.batch, user)
    return item


@transaction.atomic
def resolve_conflict(user: User, item: ProposalItem, choices: dict[str, str]) -> ProposalItem:
    """The verifier or the approver chooses, field by field, between the value now in the
    registry and the proposed one. An approved item is applied right after."""
    if not ((user.can(Cap.DECIDE) or user.can(Cap.VERIFY)) and user.in_scope(item.area_code)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini di wilayah tersebut."))
    item = _lock_item(item)
    _require_open_batch(item)
    if item.status not in OPEN_STATUSES:
        raise ValidationError(_("Usulan ini sudah selesai."))
    _record_resolutions(user, item, choices)
    stamp(item, user, _("Pilihan nilai untuk data yang berubah"))
    item.save()
    if item.status == ItemStatus.APPROVED and user.can(Cap.DECIDE):
        _apply(user, item)
        _refresh_batch(item.batch, user)
    return item
