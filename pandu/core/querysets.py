"""The scoped queryset every protected model's manager extends: rows lie in an area, users see
those inside their own area when their role holds the capability, and some rows add need-to-know.

A model's queryset declares three things and inherits the rest:

``area_field``
    the lookup path to the row's dotted area code (``"area_code"``, ``"village"``,
    ``"household__village"``); a tuple means every one of them must lie inside the user's area
    (a duplicate pair: both people).
``caps``
    the capability each action needs, ``{"view": ..., "change": ...}`` (``restrict(user, action)``).
``need_to_know(user)``
    optional: what the user may not see although it lies in their area (sensitive PPKS, another
    worker's child-protection case).

``visible_to(user)`` is ``restrict(user, "view")``. The area is a prefix of dotted codes
(decision 0002): ``""`` (a superuser without an area) is the whole country, ``None`` nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from pandu.accounts.roles import user_can

# Lengths of the dotted codes of province, regency and district ("73", "73.09", "73.09.13").
_ANCESTOR_LENGTHS = (2, 5, 8)


def area_ancestors(code: str) -> list[str]:
    """The codes of the areas that contain ``code`` (not ``code`` itself), largest first."""
    return [code[:n] for n in _ANCESTOR_LENGTHS if n < len(code)]


def scope_of(user: Any) -> str | None:
    """The code prefix of the user's area: ``""`` is everywhere, ``None`` is nowhere."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.scope_code


class ScopedQuerySet(models.QuerySet):
    """Rows inside an area, seen by users whose area contains it and whose role may."""

    area_field: str | tuple[str, ...] = "area_code"
    caps: Mapping[str, str] = {}
    # Rows that serve everyone below them (a regency's service point serves its villages' staff):
    # also seen by users whose area lies inside the row's area.
    seen_from_inside: bool = False

    # --- what a user may see or do -------------------------------------------------------

    def visible_to(self, user: Any, cap: str | None = None) -> Self:
        """Rows the user may read: role, area, then need-to-know."""
        return self.restrict(user, "view", cap=cap)

    def restrict(self, user: Any, action: str = "view", *, cap: str | None = None) -> Self:
        """Rows on which the user may do ``action`` (a key of ``caps``)."""
        needed = cap or self.caps.get(action)
        if needed is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} names no capability for {action!r}; add it to ``caps``."
            )
        if not user_can(user, needed):
            return self.none()
        return self.in_scope_of(user).need_to_know(user)

    def need_to_know(self, user: Any) -> Self:
        """Rows of the user's area that the user may still not see; none by default."""
        return self

    # --- the area alone (figures, filters inside an already visible list) -----------------

    def in_scope_of(self, user: Any) -> Self:
        """Rows inside the user's area, whatever the role (for counts and checks)."""
        scope = scope_of(user)
        if scope is None:
            return self.none()
        if scope == "":
            return self.all()
        if self.seen_from_inside:
            above = self._scope_at_any(area_ancestors(scope))
            return self.filter(self._scope_inside(scope) | above)
        return self.filter(self._scope_inside(scope))

    def in_area(self, code: str) -> Self:
        """Rows inside the area ``code`` (a code prefix); ``""`` is every row."""
        if not code:
            return self.all()
        return self.filter(self._scope_inside(code))

    def _scope_fields(self) -> tuple[str, ...]:
        field = self.area_field
        fields = (field,) if isinstance(field, str) else tuple(field)
        if not fields:
            raise ImproperlyConfigured(f"{type(self).__name__} has no area_field.")
        return fields

    def _scope_inside(self, code: str) -> Q:
        condition = Q()
        for field in self._scope_fields():
            condition &= Q(**{f"{field}__prefix": code})
        return condition

    def _scope_at_any(self, codes: list[str]) -> Q:
        if not codes:
            return Q(pk__in=[])
        condition = Q()
        for field in self._scope_fields():
            condition &= Q(**{f"{field}__in": codes})
        return condition


def owned_or_overseen(
    qs: models.QuerySet,
    user: Any,
    *,
    owner_field: str = "user",
    area_field: str = "area_code",
    overseer_cap: str = "",
) -> models.QuerySet:
    """Work a user started (an import, a job): seen by its owner, and by those who oversee the
    area it belongs to (``overseer_cap``, the Dinas administrator), never by colleagues of the
    same role. A superuser sees all."""
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs.all()
    own = Q(**{owner_field: user})
    scope = scope_of(user)
    if overseer_cap and scope is not None and user_can(user, overseer_cap):
        return qs.filter(Q(**{f"{area_field}__prefix": scope}) | own)
    return qs.filter(own)


class OwnedQuerySet(models.QuerySet):
    """A model's queryset for :func:`owned_or_overseen`: declare the fields and the cap."""

    owner_field = "user"
    area_field = "area_code"
    overseer_cap = ""

    def visible_to(self, user: Any) -> Self:
        return owned_or_overseen(  # type: ignore[return-value]
            self,
            user,
            owner_field=self.owner_field,
            area_field=self.area_field,
            overseer_cap=self.overseer_cap,
        )


class ChildQuerySet(ScopedQuerySet):
    """Rows that belong to a scoped record (a case's tasks, a referral's attachments): seen
    exactly when that record is seen. ``parent`` is the path to it (``"case"``,
    ``"goal__case"``); the area, the capabilities and the need-to-know rule are the parent's."""

    parent = ""

    @classmethod
    def _parent_queryset(cls, model) -> ScopedQuerySet:
        related = model
        for name in cls.parent.split("__"):
            related = related._meta.get_field(name).related_model
        qs = related._default_manager.all()
        if not isinstance(qs, ScopedQuerySet):
            raise ImproperlyConfigured(f"{cls.__name__}.parent is not a scoped model.")
        return qs

    def _scope_fields(self) -> tuple[str, ...]:
        parent = self._parent_queryset(self.model)
        return tuple(f"{self.parent}__{field}" for field in parent._scope_fields())

    @property
    def caps(self) -> Mapping[str, str]:  # type: ignore[override]
        return self._parent_queryset(self.model).caps

    @property
    def seen_from_inside(self) -> bool:  # type: ignore[override]
        return self._parent_queryset(self.model).seen_from_inside

    def need_to_know(self, user: Any) -> Self:
        everything = self._parent_queryset(self.model)
        allowed = everything.need_to_know(user)
        if allowed is everything:
            return self
        return self.filter(**{f"{self.parent}__in": allowed.values("pk")})
