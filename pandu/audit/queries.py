"""Which access-log entries a reader sees: those of their own area, when their role holds
``accesslog.view`` (the Dinas's administrator and the auditor).

``core.AccessLog`` keeps the plain manager of a table that only ``core.access.record_access``
writes (a scoped manager would make it a protected record); the scope is applied here, as
``accounts.queries`` does for accounts. An entry's area is its record's, else its user's
(``core.access.area_of``); a reader with the whole country (a superuser without an area) sees
every entry, including those that name no area (a refusal to a visitor who was not signed in).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pandu.accounts.roles import Cap, user_can
from pandu.core.models import AccessLog


def may_read_log(user: Any) -> bool:
    return user_can(user, Cap.VIEW_ACCESS_LOG)


def entries_visible_to(user: Any) -> QuerySet[AccessLog]:
    """The entries ``user`` may list and export, newest first."""
    if not may_read_log(user):
        return AccessLog.objects.none()
    scope = getattr(user, "scope_code", None)
    if scope is None:
        return AccessLog.objects.none()
    rows = AccessLog.objects.select_related("user").order_by("-id")
    if scope == "":
        return rows
    return rows.filter(area_code__prefix=scope)
