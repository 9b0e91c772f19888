"""Penyelenggara Askesos: the accredited non-profit bodies that run the scheme, their
accreditation by the Dinas against the seven requirements of seed 001, and their staff.

A provider is a body in the one list of organisations (decision 0013) with a record of its own
here; it lies in its seat's area. Its staff are users (role Mitra) linked to it: the link, not
the area, says whose members they see.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.organisations.models import Organisation

from ..choices import AccreditationStatus, Criterion, Finding
from ..queries import (
    AccreditationPartQuerySet,
    AccreditationQuerySet,
    ProviderPartQuerySet,
    ProviderQuerySet,
)

USER = settings.AUTH_USER_MODEL


class Provider(PublicIdModel):
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="askesos_provider",
        verbose_name=_("lembaga"),
    )
    # The seat's area code (a regency or below), kept here so scoping needs no join.
    area_code = models.CharField(_("wilayah"), max_length=13, db_index=True)
    code = models.CharField(
        _("kode penyelenggara"),
        max_length=12,
        unique=True,
        help_text=_("Dipakai di nomor peserta, mis. ASK-LKS01-000123."),
    )
    established_on = models.DateField(_("berdiri sejak"), null=True, blank=True)
    legal_basis = models.CharField(_("akta/badan hukum"), max_length=200, blank=True)
    opening_reserve = models.DecimalField(
        _("cadangan awal (Rp)"), max_digits=16, decimal_places=0, default=0
    )
    active = models.BooleanField(_("aktif"), default=True)
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("penyelenggara Askesos")
        verbose_name_plural = _("penyelenggara Askesos")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.organisation.name}"

    @property
    def name(self) -> str:
        return self.organisation.name

    def accreditation_on(self, day: date) -> Accreditation | None:
        """The accreditation decision in force on ``day``, if any."""
        return (
            self.accreditations.filter(
                status=AccreditationStatus.ACCREDITED, valid_from__lte=day, valid_until__gte=day
            )
            .order_by("-valid_until")
            .first()
        )


class Accreditation(PublicIdModel):
    """One application for accreditation: the checklist, then the Dinas's decision."""

    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="accreditations",
        verbose_name=_("penyelenggara"),
    )
    applied_on = models.DateField(_("tanggal permohonan"))
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=AccreditationStatus.choices,
        default=AccreditationStatus.REVIEW,
    )
    decision_number = models.CharField(_("nomor keputusan"), max_length=100, blank=True)
    decided_on = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    decision_note = models.TextField(_("pertimbangan"), blank=True)
    reminded_on = models.DateField(_("pengingat akreditasi ulang dikirim"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("akreditasi penyelenggara")
        verbose_name_plural = _("akreditasi penyelenggara")
        ordering = ["provider", "-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="terakreditasi")
                | Q(valid_from__isnull=False, valid_until__isnull=False),
                name="accreditation_has_validity",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="accreditation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.applied_on}"


class AccreditationItem(models.Model):
    """One requirement of an application: the provider's evidence and the reviewer's finding."""

    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.CASCADE, related_name="items", verbose_name=_("akreditasi")
    )
    criterion = models.CharField(_("persyaratan"), max_length=14, choices=Criterion.choices)
    evidence = models.TextField(_("bukti"), blank=True)
    evidence_file = models.FileField(
        _("berkas bukti"), upload_to="insurance/accreditation/%Y/%m/", blank=True
    )
    finding = models.CharField(
        _("temuan"), max_length=10, choices=Finding.choices, default=Finding.PENDING
    )
    reviewer_note = models.TextField(_("catatan pemeriksa"), blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    reviewed_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)

    history = HistoricalRecords()
    objects = AccreditationPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("butir akreditasi")
        verbose_name_plural = _("butir akreditasi")
        ordering = ["accreditation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["accreditation", "criterion"], name="accreditation_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.accreditation_id}: {self.criterion}"


class ProviderStaff(models.Model):
    """Links a user (role Mitra) to the provider whose members, payments and claims they keep."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="staff", verbose_name=_("penyelenggara")
    )
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="askesos_links", verbose_name=_("pengguna")
    )
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()
    objects = ProviderPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("petugas penyelenggara")
        verbose_name_plural = _("petugas penyelenggara")
        constraints = [
            models.UniqueConstraint(fields=["provider", "user"], name="provider_staff_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider_id}"
