"""Overlapping programmes: two programmes a family should not receive at the same time (PKH
and a regency's cash aid for the same families, say). Which programmes overlap is policy, set
per area by the Dinas, never a constant in code; the targeting-accuracy report counts the KPM
enrolled in both."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.core.querysets import ScopedQuerySet, area_ancestors, scope_of
from pandu.regions.models import Area

from ..capabilities import PCap
from .catalogue import Programme


class OverlapQuerySet(ScopedQuerySet):
    """A pair set for an area holds there and in every area inside it, and is read by users
    inside it as well; a pair without an area holds everywhere and is read by everyone who
    reads KPM (only a user with the whole country in scope sets one)."""

    area_field = "area"
    seen_from_inside = True
    caps = {"view": PCap.ENROLMENT_VIEW, "manage": PCap.ENROLMENT_MANAGE}

    def in_scope_of(self, user: Any) -> Self:
        scope = scope_of(user)
        if scope is None:
            return self.none()
        if scope == "":
            return self.all()
        return self.filter(
            Q(area__isnull=True)
            | Q(area__prefix=scope)
            | Q(area__in=area_ancestors(scope) + [scope])
        )

    def active(self) -> Self:
        return self.filter(active=True)

    def holding_in(self, code: str) -> Self:
        """Pairs that hold somewhere in ``code``: everywhere, around it, or inside it."""
        if not code:
            return self.all()
        return self.filter(
            Q(area__isnull=True)
            | Q(area__in=[*area_ancestors(code), code])
            | Q(area__prefix=code + ".")
        )


class ProgrammeOverlap(PublicIdModel):
    """Two programmes that overlap in an area (``area`` empty: everywhere). The pair is stored
    once, the programme with the lower id first; ending it keeps the row and its history."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    other = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("program yang tumpang tindih"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("wilayah berlaku"),
        help_text=_("Kosong: berlaku di seluruh wilayah."),
    )
    note = models.CharField(_("dasar/catatan"), max_length=300, blank=True)
    active = models.BooleanField(_("berlaku"), default=True)
    ended_on = models.DateField(_("berakhir"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OverlapQuerySet.as_manager()

    class Meta:
        verbose_name = _("program tumpang tindih")
        verbose_name_plural = _("program tumpang tindih")
        ordering = ["programme", "other", "area"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__lt=F("other")), name="overlap_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}~{self.other_id} {self.area_id or '*'}"

    def other_than(self, programme_id: int) -> int:
        """The programme of the pair that is not ``programme_id``."""
        return self.other_id if self.programme_id == programme_id else self.programme_id
