"""Reads of the registry, always through ``visible_to(user)``: area scope plus role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from pandu.accounts.roles import Cap

if TYPE_CHECKING:
    from pandu.accounts.models import User


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows carry an area code; users see rows inside their own area."""

    def _scope_field(self) -> str:
        return getattr(self.model, "scope_field", "area_code")

    def visible_to(self, user: User, cap: str = Cap.VIEW_REGISTRY):
        if not getattr(user, "is_authenticated", False) or not user.can(cap):
            return self.none()
        scope = user.scope_code
        if scope is None:
            return self.none()
        if scope == "":
            return self.all()
        return self.filter(**{f"{self._scope_field()}__prefix": scope})

    def in_area(self, code: str):
        return self.filter(**{f"{self._scope_field()}__prefix": code})


class HouseholdQuerySet(ScopedQuerySet):
    def _scope_field(self) -> str:
        return "village"


class PersonQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status="active")


class PPKSAssignmentQuerySet(ScopedQuerySet):
    def visible_to(self, user: User, cap: str = Cap.VIEW_REGISTRY):
        qs = super().visible_to(user, cap)
        if not user.can(Cap.VIEW_SENSITIVE):
            qs = qs.filter(category__sensitive=False)
        return qs


def ppks_categories_for(user: User):
    """PPKS categories the user may see and assign (sensitive ones need to know)."""
    from .models import PPKSCategory

    qs = PPKSCategory.objects.all()
    if not user.can(Cap.VIEW_SENSITIVE):
        qs = qs.filter(sensitive=False)
    return qs
