"""The programme catalogue: what a programme gives, to whom, under which rules, for how much.

Amounts are configuration with validity dates, never constants in code: PKH's components
changed over the years and some figures are not confirmed (``unconfirmed``).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.core.versions import VersionedModel
from pandu.organisations.models import Organisation
from pandu.regions.models import Area

from .. import choices as c
from ..queries import ProgrammePartQuerySet, ProgrammeQuerySet


class Programme(VersionedModel, PublicIdModel):
    """One social-welfare programme (PKH, BPNT/Sembako, PBI-JK, PKSA, a regency's APBD aid)."""

    code = models.CharField(
        _("kode"),
        max_length=30,
        unique=True,
        help_text=_("Huruf besar, angka dan tanda hubung, mis. PKH atau APBD-MAROS-RTLH."),
    )
    name = models.CharField(_("nama program"), max_length=200)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        null=True,
        blank=True,
        verbose_name=_("pemilik program"),
    )
    level = models.CharField(
        _("tingkat"), max_length=12, choices=c.ProgrammeLevel.choices, default="nasional"
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("wilayah program daerah"),
        help_text=_("Kosong untuk program nasional."),
    )
    description = models.TextField(_("uraian"), blank=True)
    legal_basis = models.JSONField(_("dasar hukum"), default=list, blank=True)
    target_group = models.TextField(_("sasaran"), blank=True)
    benefit_type = models.CharField(
        _("jenis bantuan"), max_length=16, choices=c.BenefitType.choices
    )
    period = models.CharField(
        _("periode penyaluran"),
        max_length=200,
        blank=True,
        help_text=_("Mis. empat tahap: Jan–Mar, Apr–Jun, Jul–Sep, Okt–Des."),
    )
    starts_on = models.DateField(_("mulai berlaku"), null=True, blank=True)
    ends_on = models.DateField(_("berakhir"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=c.ProgrammeStatus.choices, default="aktif"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def amounts_on(self, day: date | None = None) -> models.QuerySet:
        """The amounts in force on ``day`` (today by default)."""
        day = day or date.today()
        return self.amounts.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class ProgrammeAmount(models.Model):
    """One component of a programme's benefit, valid over a span of dates (PKH's "anak usia
    dini" Rp3.000.000 a year from 2022)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("program")
    )
    component = models.CharField(
        _("kode komponen"), max_length=40, help_text=_("Mis. ANAK_USIA_DINI, LANSIA_70.")
    )
    label = models.CharField(_("komponen"), max_length=150)
    amount = models.DecimalField(_("nilai (Rp)"), max_digits=14, decimal_places=0)
    per = models.CharField(_("satuan"), max_length=10, choices=c.AmountPer.choices, default="tahun")
    max_count = models.PositiveSmallIntegerField(
        _("paling banyak (jiwa/keluarga)"), null=True, blank=True
    )
    valid_from = models.DateField(_("berlaku sejak"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    unconfirmed = models.BooleanField(
        _("belum dikonfirmasi"),
        default=False,
        help_text=_("Nilai dari sumber yang belum resmi; tampil dengan tanda."),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ProgrammePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("nilai bantuan")
        verbose_name_plural = _("nilai bantuan")
        ordering = ["programme", "component", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "component", "valid_from"], name="one_amount_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="amount_valid_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.component}"
