"""Retention (masa simpan): how long each kind of record is kept and on what legal basis, and
the review of the records past their period, each decided by a person (kept with a reason, or
anonymised), never deleted by the machine."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel

from .. import choices as c
from ..queries import RetentionRuleQuerySet, ReviewQuerySet
from ._common import USER


class RetentionRule(PublicIdModel):
    """The period of one kind of record, for an area (a regency's Dinas) or, without an area,
    the national default. Periods the law does not fix are marked ``unconfirmed``."""

    kind = models.CharField(_("jenis data"), max_length=20, choices=c.RecordKind.choices)
    area_code = models.CharField(
        _("kode wilayah"),
        max_length=13,
        blank=True,
        db_index=True,
        help_text=_("Kosong untuk ketentuan nasional."),
    )
    period_months = models.PositiveIntegerField(_("masa simpan (bulan)"))
    legal_basis = models.TextField(_("dasar hukum"))
    unconfirmed = models.BooleanField(
        _("belum dipastikan"),
        default=False,
        help_text=_("Masa simpan ini belum ditetapkan oleh peraturan; tinjau dengan PPDP."),
    )
    active = models.BooleanField(_("berlaku"), default=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RetentionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("ketentuan masa simpan")
        verbose_name_plural = _("ketentuan masa simpan")
        ordering = ["kind", "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "area_code"], name="one_rule_per_kind_and_area")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.area_code or 'nasional'})"


class RetentionReview(PublicIdModel):
    """One record found past its period by the periodic review, waiting for a person's
    decision. A record kept has its next review date; after it a new row is made."""

    rule = models.ForeignKey(
        RetentionRule, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("ketentuan")
    )
    kind = models.CharField(_("jenis data"), max_length=20, choices=c.RecordKind.choices)
    record_id = models.BigIntegerField(_("ID internal data"))
    record_uid = models.CharField(_("ID data"), max_length=64)
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True, blank=True)
    ended_on = models.DateField(_("berakhir/selesai"))
    due_since = models.DateField(_("lewat masa simpan sejak"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.ReviewStatus.choices,
        default=c.ReviewStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    keep_until = models.DateField(_("disimpan sampai"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("tinjauan masa simpan")
        verbose_name_plural = _("tinjauan masa simpan")
        ordering = ["due_since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id"],
                condition=Q(status="pending"),
                name="one_pending_review_per_record",
            )
        ]
        indexes = [models.Index(fields=["kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record_uid}"
