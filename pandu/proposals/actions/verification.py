"""Field verification (verifikasi) of an item: plan the visit, record the results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
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


#: A phone's clock may run a little ahead of the server's.
LOCATION_CLOCK_SKEW = timedelta(minutes=5)
#: Beyond this the browser did not locate the phone in any useful sense (and the column ends).
MAX_ACCURACY_M = Decimal("1000000")


@dataclass(frozen=True)
class VisitLocation:
    """Where the verifier's phone said it was during the visit, as the browser reported it."""

    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None
    accuracy: Decimal | float | str | None = None
    taken_at: datetime | None = None

    @property
    def empty(self) -> bool:
        return all(
            v in (None, "") for v in (self.latitude, self.longitude, self.accuracy, self.taken_at)
        )


def _decimal(value: Any, places: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _clean_location(item: ProposalItem, loc: VisitLocation) -> dict[str, Any]:
    """Both coordinates or neither; within the globe; accuracy not negative; taken during the
    item's life and not in the future beyond a phone clock's skew."""
    errors: dict[str, list[str]] = {}
    lat, lon = _decimal(loc.latitude, 6), _decimal(loc.longitude, 6)
    accuracy = _decimal(loc.accuracy, 1)
    if loc.latitude not in (None, "") and (lat is None or not -90 <= lat <= 90):
        errors["latitude"] = [_("Lintang harus angka antara -90 dan 90.")]
    if loc.longitude not in (None, "") and (lon is None or not -180 <= lon <= 180):
        errors["longitude"] = [_("Bujur harus angka antara -180 dan 180.")]
    if not errors and (lat is None) != (lon is None):
        errors["latitude"] = [
            _("Lokasi perlu lintang dan bujur sekaligus, atau tidak sama sekali.")
        ]
    if loc.accuracy not in (None, "") and (
        accuracy is None or not Decimal(0) <= accuracy <= MAX_ACCURACY_M
    ):
        errors["accuracy"] = [_("Akurasi harus angka meter, 0 atau lebih.")]
    taken_at = loc.taken_at
    if lat is None and lon is None and not errors:
        if accuracy is not None or taken_at is not None:
            errors["latitude"] = [
                _("Akurasi dan waktu lokasi hanya dicatat bersama lintang dan bujur.")
            ]
    elif not errors:
        if taken_at is None:
            errors["located_at"] = [_("Waktu lokasi diambil belum diisi.")]
        elif timezone.is_naive(taken_at):
            errors["located_at"] = [_("Waktu lokasi harus menyebut zona waktunya.")]
        elif taken_at > timezone.now() + LOCATION_CLOCK_SKEW:
            errors["located_at"] = [_("Waktu lokasi diambil tidak boleh di masa depan.")]
        elif item.created_at and taken_at < item.created_at - LOCATION_CLOCK_SKEW:
            errors["located_at"] = [_("Waktu lokasi diambil lebih awal dari usulan ini.")]
    if errors:
        raise ValidationError(errors)
    return {
        "visit_latitude": lat,
        "visit_longitude": lon,
        "visit_accuracy": accuracy,
        "visit_located_at": taken_at,
    }


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
    location: VisitLocation | None = None,
) -> ProposalItem:
    """Record the field visit: a result per person, a note, and optionally a photo and where
    the verifier's phone was (recorded only when they asked for it).

    A verifier may verify again until the item is decided; the history keeps each version. A
    new verification without a photo or a location keeps the ones recorded before.
    """
    _require(user, Cap.VERIFY, item.area_code)
    item = _lock_item(item)
    _require_open_batch(item)
    if item.status not in (ItemStatus.PENDING, ItemStatus.VERIFIED):
        raise ValidationError(_("Usulan ini sudah ditetapkan."))
    item.member_results = _normalise_results(item, results)
    if location is not None and not location.empty:
        for name, value in _clean_location(item, location).items():
            setattr(item, name, value)
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
