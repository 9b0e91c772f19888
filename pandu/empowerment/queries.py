"""Reads of the empowerment records, always through ``visible_to`` / ``restrict(user, action)``.

Visits, plans and UEP grants lie in the family's village (``area_code``, copied from the
enrolment or the household when written, so scoping needs no join); a KUBE group lies in its
village. A plan's steps and follow-ups, and a group's members, are seen exactly with their plan
or group. Graduation criteria are configuration of a programme in an area: read by everyone of
the area and below it (a regency's criteria serve its villages' staff), national ones (no area)
everywhere; changed by an administrator of their area.
"""

from __future__ import annotations

from typing import Any, Self

from django.apps import apps
from django.db.models import Q, QuerySet

from pandu.accounts.roles import user_can
from pandu.core.querysets import ChildQuerySet, ScopedQuerySet, area_ancestors, scope_of

from .capabilities import ECap


class VisitQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {"view": ECap.VIEW, "visit": ECap.VISIT}


class PlanQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {
        "view": ECap.VIEW,
        "visit": ECap.VISIT,
        "accompany": ECap.ACCOMPANY,
        "manage": ECap.MANAGE,
    }

    def open(self) -> Self:
        return self.filter(status="berjalan")


class PlanPartQuerySet(ChildQuerySet):
    """A plan's steps and follow-up visits."""

    parent = "plan"


class GroupQuerySet(ScopedQuerySet):
    area_field = "village"
    caps = {"view": ECap.VIEW, "accompany": ECap.ACCOMPANY, "manage": ECap.MANAGE}


class MemberQuerySet(ChildQuerySet):
    parent = "group"

    def current(self) -> Self:
        return self.filter(left_on__isnull=True)


class GrantQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {"view": ECap.VIEW, "manage": ECap.MANAGE}


class CriterionQuerySet(QuerySet):
    """Graduation criteria of a programme in an area (none: national)."""

    caps = {"view": ECap.VIEW, "manage": ECap.MANAGE}

    def visible_to(self, user: Any) -> Self:
        return self.restrict(user, "view")

    def restrict(self, user: Any, action: str = "view") -> Self:
        if not user_can(user, self.caps[action]):
            return self.none()
        scope = scope_of(user)
        if scope is None:
            return self.none()
        programmes = apps.get_model("programs", "Programme").objects.visible_to(user)
        qs = self.filter(programme__in=programmes.values("pk"))
        if scope == "":
            return qs
        inside = Q(area__prefix=scope)
        if action == "view":
            return qs.filter(inside | Q(area__isnull=True) | Q(area__in=area_ancestors(scope)))
        return qs.filter(inside)

    def active(self) -> Self:
        return self.filter(active=True)

    def for_place(self, programme: Any, village: str) -> Self:
        """The criteria that apply to a family of ``village`` in ``programme``: those of the
        nearest area that has any (a regency's override the national ones)."""
        codes = [village, *area_ancestors(village)]
        rows = self.filter(programme=programme, active=True).filter(
            Q(area__in=codes) | Q(area__isnull=True)
        )
        levels = {area or "" for area in rows.values_list("area_id", flat=True)}
        if not levels:
            return rows
        nearest = max(levels, key=len)
        if nearest:
            return rows.filter(area_id=nearest)
        return rows.filter(area__isnull=True)
