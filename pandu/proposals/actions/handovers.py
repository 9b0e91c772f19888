"""Handovers of a moved household between regencies: accept or refuse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.history import stamp
from pandu.regions.models import Area
from pandu.registry import actions as registry
from pandu.registry.models import Household

from ..models import Handover, HandoverStatus, ItemStatus
from ._common import _lock_item, _refresh_batch

if TYPE_CHECKING:
    from pandu.accounts.models import User


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
    if not user.can(Cap.DECIDE) or not user.in_scope(handover.to_code):
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
    stamp(handover, user, note or _("Diterima"))
    handover.save()
    item = _lock_item(handover.item)
    item.status = ItemStatus.APPLIED
    item.applied_at = now
    item.apply_error = ""
    item.result_household_id = handover.household_id
    stamp(item, user, reason)
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
    stamp(handover, user, reason)
    handover.save()
    item = _lock_item(handover.item)
    item.apply_error = _("Daerah tujuan menolak serah terima: %(reason)s") % {"reason": reason}
    stamp(item, user, item.apply_error)
    item.save()
    return handover
