"""How a programme is paid: its scheme (cycle length, recipients, channel, the per-family cap,
the consequence of missed conditions) and its components (which members count for which
amount), each valid over a span of dates like the amounts they price.

The figures are configuration, never constants in code: PKH's caps are not confirmed, and a
scheme or a component that changes gets a new row from a date, the old one ending the day
before.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.programs.models import Programme

from .. import choices as c
from ..queries import ConfigQuerySet


class Scheme(models.Model):
    """How a programme is paid from ``valid_from``: PKH in four stages a year to families, at
    most four members counted; BPNT every month; KUBE once a year to groups."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="payment_schemes",
        verbose_name=_("program"),
    )
    months_per_cycle = models.PositiveSmallIntegerField(
        _("lama satu siklus"), choices=c.CycleLength.choices, default=c.CycleLength.QUARTER
    )
    recipient = models.CharField(
        _("penerima"), max_length=10, choices=c.RecipientKind.choices, default="keluarga"
    )
    channel = models.CharField(
        _("saluran pembayaran"), max_length=10, choices=c.ChannelRule.choices, default="otomatis"
    )
    cap_members = models.PositiveSmallIntegerField(
        _("paling banyak anggota dihitung per keluarga"),
        null=True,
        blank=True,
        help_text=_("Kosong: tanpa batas. Komponen dihitung menurut urutannya sampai batas ini."),
    )
    cap_amount = models.DecimalField(
        _("paling banyak per keluarga per siklus (Rp)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
    )
    suspend_after_misses = models.PositiveSmallIntegerField(
        _("ditangguhkan setelah sekian kali tidak memenuhi kewajiban"),
        null=True,
        blank=True,
        help_text=_("Kosong: ketidakhadiran dicatat tanpa akibat otomatis."),
    )
    valid_from = models.DateField(_("berlaku sejak"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    unconfirmed = models.BooleanField(_("belum dikonfirmasi"), default=False)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("skema penyaluran")
        verbose_name_plural = _("skema penyaluran")
        ordering = ["programme", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "valid_from"], name="one_scheme_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="scheme_valid_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.valid_from:%d-%m-%Y}"


class Component(models.Model):
    """One component of an entitlement: the programme amount it prices (``code`` is a
    ``ProgrammeAmount.component``) and which active members it counts (a person condition of
    ``targeting.rules``; none means the family itself, once)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="payment_components",
        verbose_name=_("program"),
    )
    code = models.CharField(_("kode komponen"), max_length=40)
    condition = models.JSONField(
        _("anggota yang dihitung"),
        null=True,
        blank=True,
        help_text=_('Aturan satu orang, mis. {"field": "school_level", "op": "eq", "value": 2}.'),
    )
    max_count = models.PositiveSmallIntegerField(
        _("paling banyak per keluarga"),
        null=True,
        blank=True,
        help_text=_("Kosong: batas nilai bantuan komponen ini (bila ada) yang dipakai."),
    )
    position = models.PositiveSmallIntegerField(
        _("urutan"), default=0, help_text=_("Komponen dengan urutan kecil dihitung lebih dulu.")
    )
    valid_from = models.DateField(_("berlaku sejak"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("komponen hak")
        verbose_name_plural = _("komponen hak")
        ordering = ["programme", "position", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code", "valid_from"], name="one_component_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="component_valid_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.code}"

    def clean(self) -> None:
        from pandu.targeting import rules

        if self.condition in (None, {}, ""):
            self.condition = None
            return
        try:
            rules.validate_person(self.condition)
        except rules.RuleError as exc:
            raise ValidationError({"condition": exc.messages}) from None
