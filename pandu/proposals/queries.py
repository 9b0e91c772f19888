"""Reads of proposals, always through ``visible_to(user)``: the batch's village inside the user's
area, and need-to-know PPKS items only for roles that may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from pandu.accounts.roles import Cap
from pandu.core.querysets import ScopedQuerySet, scope_of


class ProposalQuerySet(ScopedQuerySet):
    """Proposals show people by name and NIK: read with the same right as the registry."""

    caps = {
        "view": Cap.VIEW_REGISTRY,
        "figures": Cap.VIEW_FIGURES,
        "propose": Cap.PROPOSE,
        "verify": Cap.VERIFY,
        "decide": Cap.DECIDE,
    }


class BatchQuerySet(ProposalQuerySet):
    pass


class ItemQuerySet(ProposalQuerySet):
    def need_to_know(self, user: Any):
        if not user.can(Cap.VIEW_SENSITIVE):
            return self.filter(sensitive=False)
        return self

    def open(self):
        from .models import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class HandoverQuerySet(ProposalQuerySet):
    """The origin's users see their outgoing households; of the destination, only those who
    decide (the Dinas administrator) see what is offered to them before they accept."""

    area_field = "from_code"

    def in_scope_of(self, user: Any):
        scope = scope_of(user)
        if scope is None or scope == "" or not user.can(Cap.DECIDE):
            return super().in_scope_of(user)
        return self.filter(Q(from_code__prefix=scope) | Q(to_code__prefix=scope))
