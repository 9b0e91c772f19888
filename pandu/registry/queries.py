"""Reads of the registry, always through ``visible_to(user)``: area scope, role, need-to-know.

The scoping itself is ``core.querysets.ScopedQuerySet``; each model here only says where its area
is and what a user must not see inside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pandu.accounts.roles import Cap
from pandu.core.querysets import ScopedQuerySet

if TYPE_CHECKING:
    from pandu.accounts.models import User


class RegistryQuerySet(ScopedQuerySet):
    """Registry rows: read with the registry, changed by those who keep it."""

    caps = {
        "view": Cap.VIEW_REGISTRY,
        "change": Cap.CHANGE_REGISTRY,
        "figures": Cap.VIEW_FIGURES,
    }


class HouseholdQuerySet(RegistryQuerySet):
    area_field = "village"


class PersonQuerySet(RegistryQuerySet):
    def active(self):
        return self.filter(status="active")


class PPKSAssignmentQuerySet(RegistryQuerySet):
    def need_to_know(self, user: Any):
        """Sensitive categories (trafficking, violence, ...) only for roles that need to know."""
        if not user.can(Cap.VIEW_SENSITIVE):
            return self.filter(category__sensitive=False)
        return self


class PSKSQuerySet(RegistryQuerySet):
    area_field = "area"


def ppks_categories_for(user: User):
    """PPKS categories the user may see and assign (sensitive ones need to know)."""
    from .models import PPKSCategory

    qs = PPKSCategory.objects.all()
    if not user.can(Cap.VIEW_SENSITIVE):
        qs = qs.filter(sensitive=False)
    return qs
