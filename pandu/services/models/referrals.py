"""Referrals to partner agencies and their attachments."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.fields import EncryptedTextField
from pandu.core.models import PublicIdModel

from .. import choices as c
from ..queries import ReferralAttachmentQuerySet, ReferralQuerySet
from ._common import USER
from .cases import Case
from .points import PartnerAgency, PartnerService


class Referral(PublicIdModel):
    """A referral letter from a case to a partner's service, sent only with the person's consent.

    What the partner sees is the snapshot taken when it is sent (name, age, need, what is asked,
    and the NIK only if the consent allows), never the registry record.
    """

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("kasus")
    )
    service = models.ForeignKey(
        PartnerService,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("layanan"),
    )
    agency = models.ForeignKey(
        PartnerAgency, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("mitra")
    )
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    number = models.CharField(_("nomor surat"), max_length=30, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.ReferralStatus.choices,
        default=c.ReferralStatus.DRAFT,
        db_index=True,
    )
    need_area = models.CharField(_("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices)
    need = EncryptedTextField(_("kebutuhan"))
    done_so_far = EncryptedTextField(_("yang sudah dilakukan"), blank=True)
    request = EncryptedTextField(_("yang diminta dari mitra"))
    # Consent (persetujuan) of the person or, for a child, the guardian.
    consent_given = models.BooleanField(_("persetujuan diberikan"), default=False)
    consent_by = models.CharField(
        _("persetujuan dari"), max_length=10, choices=c.ConsentBy.choices, blank=True
    )
    guardian_name = models.CharField(_("nama orang tua/wali"), max_length=150, blank=True)
    guardian_relationship = models.CharField(_("hubungan wali"), max_length=100, blank=True)
    consent_method = models.CharField(
        _("cara persetujuan"), max_length=12, choices=c.ConsentMethod.choices, blank=True
    )
    consent_share_nik = models.BooleanField(_("NIK boleh dibagikan ke mitra"), default=False)
    consent_note = models.CharField(_("catatan persetujuan"), max_length=300, blank=True)
    consent_recorded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persetujuan dicatat oleh"),
    )
    consent_recorded_at = models.DateTimeField(_("persetujuan dicatat"), null=True, blank=True)
    # Snapshot shared with the partner when sent.
    subject_name = models.CharField(_("nama"), max_length=150, blank=True)
    subject_age = models.PositiveSmallIntegerField(_("usia"), null=True, blank=True)
    subject_sex = models.CharField(
        _("jenis kelamin"),
        max_length=1,
        choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))],
        blank=True,
    )
    subject_nik = models.CharField(_("NIK"), max_length=16, blank=True)
    subject_phone = models.CharField(_("telepon"), max_length=40, blank=True)
    # Lifecycle.
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh")
    )
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    sent_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikirim oleh"),
    )
    received_at = models.DateTimeField(_("diterima mitra"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    responded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditanggapi oleh"),
    )
    started_at = models.DateTimeField(_("mulai dilayani"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    respond_due = models.DateField(_("batas tanggapan"), null=True, blank=True)
    complete_due = models.DateField(_("batas penyelesaian"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("alasan penolakan"), blank=True)
    result = EncryptedTextField(_("hasil layanan"), blank=True)
    return_reason = EncryptedTextField(_("alasan dikembalikan"), blank=True)
    withdraw_reason = EncryptedTextField(_("alasan ditarik"), blank=True)
    partner_note = EncryptedTextField(_("catatan terakhir mitra"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["area_code", "sent_at"]),
            # Dashboard partner figures for a period, read from the index alone.
            models.Index(
                fields=["sent_at", "area_code", "agency", "status", "finished_at"],
                name="referral_outcomes",
            ),
            models.Index(fields=["status", "respond_due"]),
            models.Index(fields=["status", "complete_due"]),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Rujukan (draf)"))

    @property
    def is_open(self) -> bool:
        return self.status in c.OPEN_REFERRAL

    def overdue_on(self, when: date | None = None) -> bool:
        when = when or date.today()
        if self.status in c.AWAITING_RESPONSE and self.respond_due:
            return when > self.respond_due
        if self.status in c.IN_PROGRESS and self.complete_due:
            return when > self.complete_due
        return False

    @property
    def overdue(self) -> bool:
        return self.overdue_on()

    @property
    def due(self) -> date | None:
        if self.status in c.AWAITING_RESPONSE:
            return self.respond_due
        if self.status in c.IN_PROGRESS:
            return self.complete_due
        return None


def referral_attachment_upload_to(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"services/referrals/{instance.uid}.{ext}"


class ReferralAttachment(PublicIdModel):
    """A document sent with a referral (assessment summary, medical note, ...)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=referral_attachment_upload_to)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = ReferralAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("lampiran rujukan")
        verbose_name_plural = _("lampiran rujukan")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
