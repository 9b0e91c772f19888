"""Holidays that working-day deadlines skip."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..capabilities import SCap
from ..models import Holiday
from ._common import _require, _required_text


def add_holiday(user, *, on: date, name: str) -> Holiday:
    """A national holiday or collective leave day (SKB tiga menteri): not a working day."""
    _require(user, SCap.SETUP_MANAGE)
    name = _required_text(name, "name")
    if Holiday.objects.filter(date=on).exists():
        raise ValidationError({"on": _("Tanggal ini sudah tercatat sebagai hari libur.")})
    return Holiday.objects.create(date=on, name=name[:150])


def remove_holiday(user, holiday: Holiday) -> None:
    _require(user, SCap.SETUP_MANAGE)
    holiday.delete()
