"""Which programmes overlap: the Dinas names two programmes a family should not receive at once,
for its area (or, with the whole country in scope, everywhere), and ends a pair that no longer
holds. The targeting-accuracy report reads the pairs in force."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can
from pandu.core.history import stamp
from pandu.regions.models import Area

from ..capabilities import PCap
from ..models import Programme, ProgrammeOverlap

__all__ = ["end_overlap", "set_overlap"]


def _require_area(user: Any, area: Area | None) -> None:
    if not user_can(user, PCap.ENROLMENT_MANAGE):
        raise PermissionDenied
    if area is None:
        if user.scope_code != "":  # everywhere: only a user with the whole country in scope
            raise PermissionDenied
    elif not user.in_scope(area.code):
        raise PermissionDenied


@transaction.atomic
def set_overlap(
    user: Any, programme: Programme, other: Programme, area: Area | None, note: str = ""
) -> ProgrammeOverlap:
    """Declare that ``programme`` and ``other`` overlap in ``area`` (``None``: everywhere). The
    same pair already in force there is returned unchanged."""
    _require_area(user, area)
    if programme.pk == other.pk:
        raise ValidationError({"other": [_("Pilih dua program yang berbeda.")]})
    first, second = sorted((programme, other), key=lambda p: p.pk)
    existing = (
        ProgrammeOverlap.objects.select_for_update()
        .filter(programme=first, other=second, area=area, active=True)
        .first()
    )
    if existing is not None:
        return existing
    row = ProgrammeOverlap(
        programme=first, other=second, area=area, note=(note or "").strip()[:300]
    )
    stamp(row, user, row.note or _("Program tumpang tindih"))
    row.save()
    return row


@transaction.atomic
def end_overlap(user: Any, overlap: ProgrammeOverlap, reason: str) -> ProgrammeOverlap:
    """The pair no longer holds from today; the row and its history stay."""
    _require_area(user, overlap.area)
    overlap = ProgrammeOverlap.objects.select_for_update().get(pk=overlap.pk)
    if not overlap.active:
        raise ValidationError(_("Pasangan program ini sudah tidak berlaku."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan mengakhiri pasangan ini.")]})
    overlap.active = False
    overlap.ended_on = timezone.localdate()
    stamp(overlap, user, reason[:300])
    overlap.save()
    return overlap
