"""A programme's payment configuration: its scheme and components, each from a date (the one
in force before ends the day before), changed by whoever may change the programme's amounts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.core.history import stamp
from pandu.programs.models import Programme

from ..models import Component, Scheme

__all__ = ["save_component", "save_scheme"]

SCHEME_FIELDS = {
    "months_per_cycle",
    "recipient",
    "channel",
    "cap_members",
    "cap_amount",
    "suspend_after_misses",
    "unconfirmed",
    "note",
}


def _may_change(user: Any, programme: Programme) -> None:
    if user is None:
        return
    if not Programme.objects.restrict(user, "change").filter(pk=programme.pk).exists():
        raise PermissionDenied


def _end_previous(rows, valid_from: date, user: Any) -> None:
    previous = rows.filter(valid_from__lt=valid_from, valid_to__isnull=True).first()
    if previous is not None:
        previous.valid_to = valid_from - timedelta(days=1)
        stamp(previous, user, _("Diganti pengaturan baru"))
        previous.save()


@transaction.atomic
def save_scheme(user: Any, programme: Programme, *, valid_from: date, **data: Any) -> Scheme:
    """How the programme is paid from ``valid_from``."""
    _may_change(user, programme)
    scheme = Scheme(programme=programme, valid_from=valid_from)
    for key, value in data.items():
        if key in SCHEME_FIELDS:
            setattr(scheme, key, value)
    scheme.full_clean()
    _end_previous(Scheme.objects.filter(programme=programme), valid_from, user)
    stamp(scheme, user, _("Skema penyaluran ditetapkan"))
    scheme.save()
    return scheme


@transaction.atomic
def save_component(
    user: Any,
    programme: Programme,
    *,
    code: str,
    valid_from: date,
    condition: dict | None = None,
    max_count: int | None = None,
    position: int = 0,
) -> Component:
    """Which members a component counts from ``valid_from`` (a person condition of the
    targeting rules; ``None``: the family itself, once). The component's amount is the
    programme's amount of the same code."""
    _may_change(user, programme)
    code = (code or "").strip().upper()
    if not programme.amounts.filter(component=code).exists():
        raise ValidationError(
            {
                "code": [
                    _("Program %(programme)s tidak punya nilai bantuan dengan kode %(code)s.")
                    % {"programme": programme.code, "code": code}
                ]
            }
        )
    component = Component(
        programme=programme,
        code=code,
        valid_from=valid_from,
        condition=condition,
        max_count=max_count,
        position=position,
    )
    component.full_clean()
    _end_previous(Component.objects.filter(programme=programme, code=code), valid_from, user)
    stamp(component, user, _("Komponen hak ditetapkan"))
    component.save()
    return component
