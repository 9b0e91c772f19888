"""Proposal batches (usulan) and their minutes: create, attach minutes, submit."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.history import stamp
from pandu.regions.models import Area

from ..models import BatchStatus, ProposalBatch
from ..uploads import MINUTES_TYPES, check_upload
from ._common import _require, _village, tell_next_step

if TYPE_CHECKING:
    from pandu.accounts.models import User


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
    _require(user, Cap.PROPOSE, area.code)
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
    stamp(batch, user, _("Usulan dibuat"))
    batch.save()
    return batch


# What a walk-in draft carries from the desk: who the person is, nothing of the complaint.
WALK_IN_FIELDS = ("name", "nik", "kk_number", "sex", "birth_date", "address", "phone")


@transaction.atomic
def receive_walk_in(
    user: User, *, village: Area | str, person: dict, source: str, received_on: date
) -> ProposalBatch:
    """A draft proposal in the village operator's worklist for a person met at the service
    desk who is not in the registry: it carries what the desk was told (``WALK_IN_FIELDS``);
    the operator adds the family as an item, holds the village meeting, attaches its minutes
    with the meeting date, and submits. Called by the desk's own action inside its
    transaction; whoever may change the registry in the village may hand a person over."""
    area = _village(village)
    if not (user.can(Cap.PROPOSE) or user.can(Cap.CHANGE_REGISTRY)) or not user.in_scope(area.code):
        raise PermissionDenied(_("Anda tidak berwenang mengusulkan untuk desa/kelurahan ini."))
    walk_in = {k: str(person.get(k) or "") for k in WALK_IN_FIELDS}
    if not walk_in["name"]:
        raise ValidationError({"name": [_("Nama wajib diisi.")]})
    walk_in["source"] = str(source)[:200]
    walk_in["received_on"] = received_on.isoformat()
    batch = ProposalBatch(
        village=area,
        area_code=area.code,
        meeting_date=None,
        walk_in=walk_in,
        note=_("Diteruskan dari %(source)s pada %(date)s: perlu diusulkan masuk registri.")
        % {"source": walk_in["source"], "date": received_on.strftime("%d-%m-%Y")},
        created_by=user,
    )
    stamp(batch, user, _("Diteruskan dari layanan"))
    batch.save()
    return batch


@transaction.atomic
def attach_minutes(
    user: User, batch: ProposalBatch, minutes, *, meeting_date: date | None = None
) -> ProposalBatch:
    """Upload (or replace) the minutes while the batch is a draft; the old file is kept. A draft
    handed over by the service desk gets its meeting date here."""
    _require(user, Cap.PROPOSE, batch.area_code)
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(_("Usulan yang sudah diajukan tidak dapat diubah."))
    if meeting_date is not None:
        if meeting_date > date.today():
            raise ValidationError(
                {"meeting_date": [_("Tanggal musyawarah tidak boleh di masa depan.")]}
            )
        batch.meeting_date = meeting_date
    _set_minutes(batch, minutes)
    stamp(batch, user, _("Berita acara diunggah"))
    batch.save()
    return batch


@transaction.atomic
def submit_batch(user: User, batch: ProposalBatch) -> ProposalBatch:
    """Send the batch for verification: it needs the minutes and at least one item."""
    _require(user, Cap.PROPOSE, batch.area_code)
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(_("Usulan ini sudah diajukan."))
    errors = []
    if not batch.minutes:
        errors.append(_("Unggah berita acara musyawarah desa sebelum mengajukan."))
    if batch.meeting_date is None:
        errors.append(
            _("Isi tanggal musyawarah desa (bersama berita acaranya) sebelum mengajukan.")
        )
    if not batch.items.exists():
        errors.append(_("Tambahkan paling sedikit satu usulan sebelum mengajukan."))
    if errors:
        raise ValidationError(errors)
    batch.status = BatchStatus.SUBMITTED
    batch.submitted_at = timezone.now()
    batch.submitted_by = user
    stamp(batch, user, _("Usulan diajukan untuk verifikasi"))
    batch.save()
    tell_next_step(batch)
    return batch
