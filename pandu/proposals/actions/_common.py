"""What the update cycle's steps share: checks, history stamps, registry errors, locks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pandu.core.history import stamp
from pandu.regions.models import Area, Level

from ..models import DECIDED_STATUSES, BatchStatus, ItemStatus, ProposalBatch, ProposalItem

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


def _require(user: User, cap: str, area_code: str) -> None:
    if not user.can(cap) or not user.in_scope(area_code):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini di wilayah tersebut."))


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
        # Set on every submitted batch (``submit_batch`` asks for it).
        "date": date_format(batch.meeting_date, "d-m-Y") if batch.meeting_date else "—",
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
        stamp(batch, user, str(BatchStatus(status).label))
        batch.save()
        tell_next_step(batch)


def tell_next_step(batch: ProposalBatch) -> None:
    """Tell whoever the batch now waits for: the verifiers of its area once submitted, the
    deciders once every item is verified, the proposer once every item is decided."""
    from django.urls import reverse

    from pandu.accounts.roles import Cap
    from pandu.notifications.actions import notify
    from pandu.notifications.queries import nearest_holders

    words = {"ref": batch.ref, "village": batch.village.name}
    url = reverse("proposals:batch_detail", args=[batch.uid])
    if batch.status == BatchStatus.SUBMITTED:
        users = nearest_holders(Cap.VERIFY, batch.area_code)
        kind, title = "proposal_to_verify", _("Usulan %(ref)s (%(village)s) menunggu verifikasi")
    elif batch.status == BatchStatus.VERIFIED:
        users = nearest_holders(Cap.DECIDE, batch.area_code)
        kind, title = "proposal_to_decide", _("Usulan %(ref)s (%(village)s) menunggu penetapan")
    elif batch.status == BatchStatus.DECIDED:
        users = [batch.submitted_by or batch.created_by]
        kind, title = "proposal_decided", _("Usulan %(ref)s (%(village)s) sudah ditetapkan")
    else:
        return
    notify(users, kind=kind, title=title % words, url=url, key=f"{kind}:{batch.uid}")


def _lock_item(item: ProposalItem) -> ProposalItem:
    return ProposalItem.objects.select_for_update().select_related("batch").get(pk=item.pk)


def _require_open_batch(item: ProposalItem) -> None:
    if item.batch.status == BatchStatus.DRAFT:
        raise ValidationError(_("Usulan ini masih draf dan belum diajukan."))
