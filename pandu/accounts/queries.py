"""Which accounts a user may see and manage.

The User model keeps Django's plain manager (every record in Pandu points at a user, and a scoped
manager would make each of them a protected record); the scope is applied here instead, the same
way ``core.querysets`` does: a user sees the accounts inside their own area when their role
holds ``users.view``, and manages those whose role they may grant (``roles.grantable_roles``).
A superuser is seen by the administrators of its area but managed only by another superuser.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pandu.regions.models import Area

from .models import ApiToken, User, UserChange
from .roles import Cap, grantable_roles, user_can


def _in_scope(qs: QuerySet, viewer: Any, field: str) -> QuerySet:
    scope = getattr(viewer, "scope_code", None)
    if scope is None:
        return qs.none()
    if scope == "":
        return qs.all()
    return qs.filter(**{f"{field}__prefix": scope})


def users_visible_to(viewer: Any) -> QuerySet[User]:
    """Accounts ``viewer`` may list and open."""
    if not user_can(viewer, Cap.VIEW_USERS):
        return User.objects.none()
    return _in_scope(User.objects.select_related("area"), viewer, "area")


def changes_visible_to(viewer: Any) -> QuerySet[UserChange]:
    """The history of the accounts ``viewer`` may see."""
    if not user_can(viewer, Cap.VIEW_USERS):
        return UserChange.objects.none()
    return _in_scope(UserChange.objects.select_related("user", "actor"), viewer, "user__area")


def may_grant(actor: Any, role: str, area: Area | None) -> bool:
    """Whether ``actor`` may give ``role`` in ``area`` (never beyond their own role and area)."""
    if role not in grantable_roles(actor):
        return False
    if actor.is_superuser and actor.area_id is None:
        return True
    return area is not None and actor.in_scope(area.code)


def can_manage(actor: Any, user: User) -> bool:
    """Whether ``actor`` may change ``user``'s account (role, area, password, deactivation)."""
    if not user_can(actor, Cap.MANAGE_USERS) or user.pk == getattr(actor, "pk", None):
        return False
    if user.is_superuser and not actor.is_superuser:
        return False
    return may_grant(actor, user.role, user.area)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's API tokens, newest first (revoked and expired ones too, for the record)."""
    return ApiToken.objects.filter(user=user).select_related("created_by", "revoked_by")
