"""Klaim Askesos: a member's claim for an event (illness, accident, death) with its documents,
the automatic check against the scheme's terms, the review and the payout.

The claim's description names the illness or the accident: health data, specific personal data
under UU 27/2022, so it is encrypted at rest and every view of a claim is logged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.fields import EncryptedTextField
from pandu.core.models import PublicIdModel

from ..choices import ClaimStatus, DocumentKind, EventType, PaymentMethod
from ..queries import ClaimPartQuerySet, ClaimQuerySet
from .members import Member
from .providers import Provider

USER = settings.AUTH_USER_MODEL


class Claim(PublicIdModel):
    number = models.CharField(_("nomor klaim"), max_length=30, unique=True)
    membership = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="claims", verbose_name=_("peserta")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name=_("penyelenggara")
    )
    area_code = models.CharField(_("desa/kelurahan"), max_length=13, db_index=True)
    event_type = models.CharField(_("peristiwa"), max_length=12, choices=EventType.choices)
    event_date = models.DateField(_("tanggal peristiwa"))
    filed_on = models.DateField(_("tanggal pengajuan"))
    description = EncryptedTextField(_("keterangan peristiwa"), blank=True)
    amount_claimed = models.DecimalField(_("nilai diajukan (Rp)"), max_digits=14, decimal_places=0)
    benefit = models.DecimalField(
        _("santunan menurut ketentuan (Rp)"), max_digits=14, decimal_places=0
    )
    amount_approved = models.DecimalField(
        _("nilai disetujui (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.REVIEW
    )
    # The automatic check: [{"code", "passed", "message"}], in the order it ran.
    findings = models.JSONField(_("hasil pemeriksaan otomatis"), default=list)
    review_reasons = models.JSONField(_("alasan dipilih untuk ditinjau"), default=list)
    filed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("diajukan oleh")
    )
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_reason = models.CharField(_("alasan keputusan"), max_length=500, blank=True)
    paid_on = models.DateField(_("tanggal dibayar"), null=True, blank=True)
    paid_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibayar oleh"),
    )
    payment_method = models.CharField(
        _("cara bayar"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    payment_reference = models.CharField(_("referensi pembayaran"), max_length=60, blank=True)
    receipt_number = models.CharField(_("nomor kuitansi"), max_length=40, blank=True)
    paid_to = models.CharField(_("dibayarkan kepada"), max_length=150, blank=True)
    intake = models.ForeignKey(
        "services.Intake",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("layanan terpadu untuk keluarga"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "description"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("klaim Askesos")
        verbose_name_plural = _("klaim Askesos")
        ordering = ["-filed_on", "-id"]
        constraints = [
            # One event is claimed once: a rejected claim leaves room for a corrected one.
            models.UniqueConstraint(
                fields=["membership", "event_type", "event_date"],
                condition=Q(status__in=["ditinjau", "disetujui", "dibayar"]),
                name="askesos_claim_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(
                    event_type="meninggal", status__in=["ditinjau", "disetujui", "dibayar"]
                ),
                name="askesos_one_death_claim",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status"], name="askesos_claim_provider"),
            models.Index(fields=["provider", "paid_on"], name="askesos_claim_paid"),
        ]

    def __str__(self) -> str:
        return self.number


class ClaimDocument(PublicIdModel):
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="documents", verbose_name=_("klaim")
    )
    kind = models.CharField(_("jenis dokumen"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to="insurance/claims/%Y/%m/")
    file_name = models.CharField(_("nama berkas"), max_length=200)
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("diunggah oleh")
    )

    objects = ClaimPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen klaim")
        verbose_name_plural = _("dokumen klaim")
        ordering = ["claim", "id"]

    def __str__(self) -> str:
        return self.file_name
