"""What the personal-data actions share: the capability-and-area check, the history stamp, the
required text, and who is told of a step."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.history import stamp
from pandu.notifications.actions import notify
from pandu.notifications.queries import nearest_holders

__all__ = ["notify", "nearest_holders"]


def _require(user: Any, cap: str, area_code: str | None) -> None:
    """Refused unless ``user`` holds ``cap`` and ``area_code`` lies in their area."""
    if not user.can(cap) or area_code is None or not user.in_scope(area_code):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def _save(obj: Any, user: Any, reason: str = "", **kwargs: Any) -> None:
    stamp(obj, user, reason)
    obj.save(**kwargs)


def _text(value: Any, field: str, message: str | None = None, *, limit: int = 0) -> str:
    value = " ".join(str(value or "").split()) if limit else str(value or "").strip()
    if not value:
        raise ValidationError({field: [message or _("Wajib diisi.")]})
    return value[:limit] if limit else value


def _not_future(value: date | datetime | None, field: str) -> None:
    """A day (local) or a moment that has not come yet is refused (a few minutes of clock
    difference between a phone and the server are allowed)."""
    if value is None:
        return
    if isinstance(value, datetime):
        late = value > timezone.now() + timedelta(minutes=5)
    else:
        late = value > timezone.localdate()
    if late:
        raise ValidationError({field: [_("Tanggal tidak boleh di masa depan.")]})


def _person_area(person: Any) -> str:
    return person.area_code or ""


def tell(users: Any, kind: str, title: str, body: str = "", url: str = "", key: str = ""):
    """Notify, leaving out nobody but inactive users; the title names the work (a number),
    never a person's sensitive details."""
    return notify([u for u in users if u is not None], kind, title, body, url, key=key)
