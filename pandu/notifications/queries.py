"""Reads of notifications and of who should be told (users by capability and area)."""

from __future__ import annotations

from typing import Any

from pandu.accounts.roles import roles_with
from pandu.core.querysets import area_ancestors

from .models import Notification


def unread_count(user: Any) -> int:
    """The bell's number: one indexed count of the user's unread notifications."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.visible_to(user).unread().count()


def nearest_holders(cap: str, area_code: str) -> list[Any]:
    """Active users whose role holds ``cap`` and whose area holds ``area_code``, at the level
    nearest to it: a village's proposal goes to its district's TKSK, and to the regency's
    workers only where the district has none."""
    from pandu.accounts.models import User

    roles = roles_with(cap)
    if not roles or not area_code:
        return []
    codes = [*area_ancestors(area_code), area_code]
    users = list(
        User.objects.filter(is_active=True, role__in=roles, area_id__in=codes).order_by("id")
    )
    if not users:
        return []
    nearest = max(len(u.area_id or "") for u in users)
    return [u for u in users if len(u.area_id or "") == nearest]
