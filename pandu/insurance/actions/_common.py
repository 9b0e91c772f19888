"""What the Askesos actions share: who may act on a record, money, dates, text, numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can

from ..capabilities import ICap

#: Amounts above this are a typing error (Rp10 billion).
MAX_RUPIAH = 10_000_000_000


def require_manage(user: Any, area_code: str) -> None:
    """The Dinas's administrator of an area that contains ``area_code``."""
    if not user_can(user, ICap.MANAGE) or not user.in_scope(area_code):
        raise PermissionDenied


def require_work(user: Any, record: models.Model) -> None:
    """Provider staff of the record's provider, or the Dinas's administrator of its area:
    ``record`` must be among the rows ``restrict(user, "work")`` gives."""
    manager: Any = type(record)._default_manager
    if not manager.restrict(user, "work").filter(pk=record.pk).exists():
        raise PermissionDenied


def text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def rupiah(
    raw: Any, field: str, errors: dict[str, list[str]], *, zero: bool = False
) -> Decimal | None:
    """Whole rupiah, more than 0 (or at least 0 with ``zero``) and at most Rp10 billion."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        errors.setdefault(field, []).append(_("Nilai (Rp) wajib diisi."))
        return None
    try:
        value = None if isinstance(raw, bool) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        errors.setdefault(field, []).append(_("Nilai (Rp) harus bilangan bulat rupiah."))
        return None
    low_ok = value >= 0 if zero else value > 0
    if not low_ok or value > MAX_RUPIAH:
        errors.setdefault(field, []).append(
            _("Nilai (Rp) harus lebih dari 0 dan tidak lebih dari Rp10 miliar.")
            if not zero
            else _("Nilai (Rp) tidak boleh negatif dan tidak lebih dari Rp10 miliar.")
        )
        return None
    return value


def a_date(
    value: Any, field: str, label: str, errors: dict[str, list[str]], *, future: bool = False
) -> date | None:
    """A date that is given and, unless ``future``, not after today."""
    if not isinstance(value, date):
        errors.setdefault(field, []).append(_("%(label)s wajib diisi.") % {"label": label})
        return None
    if not future and value > timezone.localdate():
        errors.setdefault(field, []).append(
            _("%(label)s tidak boleh di masa depan.") % {"label": label}
        )
        return None
    return value


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def next_number(model: type[models.Model], field: str, prefix: str, width: int = 6) -> str:
    """``prefix`` and the next serial after the highest one already used with it. Called inside
    the writing transaction; the unique constraint settles a race (the caller retries)."""
    last = (
        model._default_manager.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    serial = 1
    if last:
        tail = last[len(prefix) :]
        serial = int(tail) + 1 if tail.isdigit() else 1
    return f"{prefix}{serial:0{width}d}"
