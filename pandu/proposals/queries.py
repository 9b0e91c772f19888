"""Reads of proposals, always through ``visible_to(user)``: the batch's village inside the user's
area, and need-to-know PPKS items only for roles that may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from pandu.accounts.roles import Cap
from pandu.registry.queries import ScopedQuerySet

from .permissions import PCap, may

if TYPE_CHECKING:
    from pandu.accounts.models import User


class BatchQuerySet(ScopedQuerySet):
    pass


class ItemQuerySet(ScopedQuerySet):
    def visible_to(self, user: User, cap: str = Cap.VIEW_REGISTRY):
        qs = super().visible_to(user, cap)
        if not user.can(Cap.VIEW_SENSITIVE):
            qs = qs.filter(sensitive=False)
        return qs

    def open(self):
        from .models import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class HandoverQuerySet(ScopedQuerySet):
    def visible_to(self, user: User, cap: str = Cap.VIEW_REGISTRY):
        """The origin's users see their outgoing households; of the destination, only those who
        decide (the Dinas administrator) see what is offered to them before they accept."""
        if not getattr(user, "is_authenticated", False) or not user.can(cap):
            return self.none()
        scope = user.scope_code
        if scope is None:
            return self.none()
        if scope == "":
            return self.all()
        where = Q(from_code__prefix=scope)
        if may(user, PCap.DECIDE):
            where |= Q(to_code__prefix=scope)
        return self.filter(where)
