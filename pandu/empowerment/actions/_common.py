"""What the empowerment actions share: the role-and-area check, dates, text and months."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can

#: Amounts above this are a typing error (Rp10 billion, as the registry's monthly amounts).
MAX_RUPIAH = 10_000_000_000


def require(user: Any, cap: str, area_code: str) -> None:
    """The role holds ``cap`` and the record's area lies inside the user's."""
    if not user_can(user, cap) or not user.in_scope(area_code):
        raise PermissionDenied


def text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def past_date(value: Any, field: str, label: str, errors: dict[str, list[str]]) -> date | None:
    """A date that is given and not in the future; otherwise an error under ``field``."""
    if not isinstance(value, date):
        errors.setdefault(field, []).append(_("%(label)s wajib diisi.") % {"label": label})
        return None
    if value > timezone.localdate():
        errors.setdefault(field, []).append(
            _("%(label)s tidak boleh di masa depan.") % {"label": label}
        )
        return None
    return value


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
