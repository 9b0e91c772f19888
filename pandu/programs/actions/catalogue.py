"""Changes to the programme catalogue: programmes and their amounts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can
from pandu.core import versions
from pandu.core.querysets import scope_of

from ..capabilities import PCap
from ..models import Programme, ProgrammeAmount
from ._common import require, save, set_fields, text_list

PROGRAMME_FIELDS = {
    "code",
    "name",
    "owner",
    "level",
    "area",
    "description",
    "legal_basis",
    "target_group",
    "benefit_type",
    "period",
    "starts_on",
    "ends_on",
    "status",
}
AMOUNT_FIELDS = {
    "component",
    "label",
    "amount",
    "per",
    "max_count",
    "valid_from",
    "valid_to",
    "unconfirmed",
    "note",
}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,29}$")


def _may_place(user: Any, area) -> None:
    """A national programme (no area) is the whole country's; a local one its area's."""
    scope = scope_of(user)
    if not user_can(user, PCap.CATALOGUE_MANAGE) or scope is None:
        raise PermissionDenied
    if scope and (area is None or not area.code.startswith(scope)):
        raise PermissionDenied


@transaction.atomic
def save_programme(
    user: Any,
    programme: Programme | None = None,
    *,
    seen: versions.Seen | None = None,
    **data: Any,
) -> Programme:
    """A new programme, or ``data``'s changes to one; ``seen``: the version the change is based
    on (a change clashing with someone else's since is a ``VersionConflict``)."""
    if programme is not None:
        require(user, programme, "change")
        programme = versions.lock(programme, data, seen)
    obj = programme or Programme()
    set_fields(obj, data, PROGRAMME_FIELDS)
    obj.code = (obj.code or "").strip().upper()
    if not CODE.match(obj.code):
        raise ValidationError(
            {"code": [_("Kode hanya huruf besar, angka dan tanda hubung, paling panjang 30.")]}
        )
    obj.legal_basis = text_list(obj.legal_basis)
    if obj.area is None:
        obj.level = "nasional"
    _may_place(user, obj.area)
    return save(obj, user, _("Program disimpan") if programme else _("Program ditambahkan"))


@transaction.atomic
def set_programme_amount(user: Any, programme: Programme, **data: Any) -> ProgrammeAmount:
    """Add an amount valid from a date; the one in force before it ends the day before."""
    require(user, programme, "change")
    amount = ProgrammeAmount(programme=programme)
    set_fields(amount, data, AMOUNT_FIELDS)
    amount.component = (amount.component or "").strip().upper()
    if amount.amount is not None and amount.amount < 0:
        raise ValidationError({"amount": [_("Nilai tidak boleh negatif.")]})
    previous = (
        programme.amounts.filter(
            component=amount.component, valid_from__lt=amount.valid_from, valid_to__isnull=True
        )
        .order_by("-valid_from")
        .first()
    )
    if previous is not None:
        previous.valid_to = amount.valid_from - timedelta(days=1)
        save(previous, user, _("Diganti nilai baru"))
    return save(amount, user, _("Nilai bantuan ditetapkan"))


@transaction.atomic
def end_programme_amount(user: Any, amount: ProgrammeAmount, valid_to: date) -> ProgrammeAmount:
    """The amount stops applying after ``valid_to``; its row stays in the history."""
    require(user, amount.programme, "change")
    if valid_to is None or valid_to < amount.valid_from:
        raise ValidationError(
            {"valid_to": [_("Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku.")]}
        )
    if amount.valid_to is not None and amount.valid_to < valid_to:
        raise ValidationError({"valid_to": [_("Nilai ini sudah berakhir lebih awal.")]})
    amount.valid_to = valid_to
    return save(amount, user, _("Nilai bantuan diakhiri"))
