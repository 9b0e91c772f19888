"""Reads of programmes, always through ``visible_to(user)`` / ``restrict(user, action)``.

The catalogue (PKH, BPNT, ...) is read by every office role; a national programme has no area
and is seen everywhere, a local (APBD) one by users of its area and those inside it. Only a user
with the whole country in scope changes a national programme; an administrator changes the
local programmes of their area.

An integrated programme lies in an area (any level). The coordinator (the administrator) and the
head of office see every part of the programmes of their area; an implementer's focal point sees
only its own implementer and what hangs off it (activities, participants, funding lines,
reports), and updates only those (action ``"work"``).
"""

from __future__ import annotations

from typing import Any, Self

from django.apps import apps
from django.db.models import Q, QuerySet

from pandu.accounts.roles import user_can
from pandu.core.querysets import ScopedQuerySet, area_ancestors, scope_of

from .capabilities import PCap


def _model(name: str):
    return apps.get_model("programs", name)


class ProgrammeQuerySet(QuerySet):
    """The catalogue: national programmes (no area) and local ones (an area)."""

    caps = {"view": PCap.CATALOGUE_VIEW, "change": PCap.CATALOGUE_MANAGE}

    def visible_to(self, user: Any) -> Self:
        return self.restrict(user, "view")

    def restrict(self, user: Any, action: str = "view") -> Self:
        if not user_can(user, self.caps[action]):
            return self.none()
        scope = scope_of(user)
        if scope is None:
            return self.none()
        if scope == "":
            return self.all()
        local = Q(area__prefix=scope) | Q(area__in=area_ancestors(scope))
        if action == "view":
            return self.filter(Q(area__isnull=True) | local)
        return self.filter(local)


class ProgrammePartQuerySet(QuerySet):
    """Rows of the catalogue (a programme's amounts): seen and changed with their programme."""

    parent = "programme"

    def visible_to(self, user: Any) -> Self:
        return self.restrict(user, "view")

    def restrict(self, user: Any, action: str = "view") -> Self:
        allowed = _model("Programme").objects.restrict(user, action)
        return self.filter(**{f"{self.parent}__in": allowed.values("pk")})


def own_implementers(user: Any) -> QuerySet:
    """Ids of the implementers ``user`` is the active focal point of."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _model("FocalPoint").objects.none().values("implementer")
    return _model("FocalPoint").objects.filter(user=user, active=True).values("implementer")


class IntegratedQuerySet(ScopedQuerySet):
    """An integrated programme or one of its parts. ``programme_path`` leads to the
    IntegratedProgramme ("" for itself), ``implementer_path`` to the implementer whose focal
    point sees the row ("" when the row has none of its own)."""

    programme_path = ""
    implementer_path = ""
    seen_from_inside = True
    caps = {
        "view": PCap.INTEGRATED_VIEW,
        "change": PCap.INTEGRATED_MANAGE,
        "work": PCap.INTEGRATED_MANAGE,
    }

    @property
    def area_field(self) -> str:  # type: ignore[override]
        return f"{self.programme_path}__area" if self.programme_path else "area"

    def restrict(self, user: Any, action: str = "view", *, cap: str | None = None) -> Self:
        whole = super().restrict(user, action, cap=cap)
        if cap is not None or action not in ("view", "work"):
            return whole
        if not user_can(user, PCap.FOCAL_POINT):
            return whole
        own = self._own(user)
        if not user_can(user, self.caps[action]):
            return own
        return self.filter(Q(pk__in=whole.values("pk")) | Q(pk__in=own.values("pk")))

    def _own(self, user: Any) -> Self:
        mine = own_implementers(user)
        if self.implementer_path:
            return self.filter(**{f"{self.implementer_path}__in": mine})
        if not self.programme_path:  # the programme itself: those it has the user implement
            programmes = _model("Implementer").objects.filter(pk__in=mine).values("programme")
            return self.filter(pk__in=programmes)
        return self.none()


class IntegratedProgrammeQuerySet(IntegratedQuerySet):
    pass


class ImplementerQuerySet(IntegratedQuerySet):
    programme_path = "programme"
    implementer_path = "pk"


class FocalPointQuerySet(IntegratedQuerySet):
    programme_path = "implementer__programme"
    implementer_path = "implementer"


class ActivityQuerySet(IntegratedQuerySet):
    programme_path = "implementer__programme"
    implementer_path = "implementer"


class ParticipantQuerySet(IntegratedQuerySet):
    programme_path = "activity__implementer__programme"
    implementer_path = "activity__implementer"


class FundingLineQuerySet(IntegratedQuerySet):
    programme_path = "programme"
    implementer_path = "implementer"


class RealisationQuerySet(IntegratedQuerySet):
    programme_path = "line__programme"
    implementer_path = "line__implementer"


class MonitoringPlanQuerySet(IntegratedQuerySet):
    """The M&E plan of a programme is read by everyone who works on it."""

    programme_path = "programme"

    def _own(self, user: Any) -> Self:
        programmes = _model("Implementer").objects.filter(pk__in=own_implementers(user))
        return self.filter(programme__in=programmes.values("programme"))


class MonitoringReportQuerySet(IntegratedQuerySet):
    programme_path = "programme"
    implementer_path = "implementer"
