"""Field verification (verifikasi) of an item: plan the visit, record the results."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.history import stamp

from .. import payloads as p
from ..models import ItemStatus, MemberResult, ProposalItem
from ..uploads import PHOTO_TYPES, check_upload
from ._common import _lock_item, _refresh_batch, _require, _require_open_batch
from .stale import _record_resolutions

if TYPE_CHECKING:
    from pandu.accounts.models import User


@transaction.atomic
def plan_visit(user: User, item: ProposalItem, on: date | None) -> ProposalItem:
    """The TKSK's own plan: which day he will knock on this door."""
    _require(user, Cap.VERIFY, item.area_code)
    item = _lock_item(item)
    _require_open_batch(item)
    item.visit_planned_on = on
    stamp(item, user, _("Rencana kunjungan"))
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
    _require(user, Cap.VERIFY, item.area_code)
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
    stamp(item, user, note or _("Verifikasi lapangan"))
    item.save()
    _refresh_batch(item.batch, user)
    return item
