"""A data subject's request (UU 27/2022): access, correction, erasure, restriction, objection to
an automated decision; with its two clocks, its steps, the second person's approval where one
is needed, and what was done."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel

from .. import choices as c
from ..queries import AnonymisationQuerySet, RequestQuerySet
from ._common import USER


class SubjectRequest(PublicIdModel):
    number = models.CharField(_("nomor"), max_length=20, blank=True, db_index=True)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("penduduk")
    )
    kind = models.CharField(_("jenis permintaan"), max_length=12, choices=c.RequestKind.choices)
    channel = models.CharField(_("saluran"), max_length=10, choices=c.Channel.choices)
    requester = models.CharField(_("pemohon"), max_length=16, choices=c.Requester.choices)
    requester_name = models.CharField(
        _("nama pemohon (bila bukan yang bersangkutan)"), max_length=150, blank=True
    )
    requester_relationship = models.CharField(_("hubungan pemohon"), max_length=100, blank=True)
    contact = models.CharField(
        _("alamat/kontak untuk jawaban"),
        max_length=200,
        blank=True,
        help_text=_("Ke mana jawaban dan salinan data dikirim."),
    )
    description = models.TextField(_("isi permintaan"))
    # A correction: {field of the person: the value asked for, as text}.
    changes = models.JSONField(_("perbaikan yang diminta"), default=dict, blank=True)
    received_at = models.DateTimeField(_("diterima"))
    received_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("diterima oleh")
    )
    # The two clocks: the acknowledgement (hours) and the answer (a local day).
    ack_due = models.DateTimeField(_("batas tanda terima"))
    due_on = models.DateField(_("batas penyelesaian"))
    acknowledged_at = models.DateTimeField(_("tanda terima dikirim"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tanda terima oleh"),
    )
    ack_note = models.CharField(_("cara tanda terima"), max_length=300, blank=True)
    identity_verified = models.BooleanField(_("identitas sudah dipastikan"), default=False)
    identity_method = models.CharField(
        _("cara memastikan identitas"),
        max_length=10,
        choices=c.IdentityMethod.choices,
        blank=True,
    )
    identity_note = models.CharField(_("catatan identitas"), max_length=300, blank=True)
    identity_checked_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identitas diperiksa oleh"),
    )
    identity_checked_at = models.DateTimeField(_("identitas diperiksa"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=c.RequestStatus.choices,
        default=c.RequestStatus.RECEIVED,
        db_index=True,
    )
    assignee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    # An erasure, restriction or refusal: proposed by one, approved by another.
    proposed_outcome = models.CharField(
        _("usulan keputusan"), max_length=10, choices=c.Outcome.choices, blank=True
    )
    proposal_reason = models.TextField(_("alasan usulan"), blank=True)
    proposed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diusulkan oleh"),
    )
    proposed_at = models.DateTimeField(_("diusulkan"), null=True, blank=True)
    # What must be kept, as checked when the outcome was proposed and again when approved.
    holds = models.JSONField(_("data yang wajib disimpan"), default=list, blank=True)
    approved_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    approval_note = models.TextField(
        pgettext_lazy("persetujuan keputusan", "catatan persetujuan"), blank=True
    )
    # An objection: the family's targeting result and the human review it opened.
    targeting_result = models.ForeignKey(
        "targeting.TargetingResult",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hasil penetapan sasaran"),
    )
    appeal = models.ForeignKey(
        "targeting.Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("peninjauan oleh petugas"),
    )
    # A correction of fields the registry changes only after field verification.
    routed_fields = models.JSONField(_("diteruskan ke pemutakhiran"), default=list, blank=True)
    routed_at = models.DateTimeField(_("diteruskan"), null=True, blank=True)
    applied_fields = models.JSONField(_("sudah diperbaiki"), default=list, blank=True)
    exported_at = models.DateTimeField(_("salinan data dibuat"), null=True, blank=True)
    outcome = models.TextField(_("jawaban kepada pemohon"), blank=True)
    refusal_reason = models.TextField(_("alasan penolakan"), blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )
    anonymised_at = models.DateTimeField(_("dianonimkan"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return self.number or str(self.uid)[:8]

    @property
    def is_open(self) -> bool:
        return self.status in c.OPEN_REQUEST

    def ack_overdue(self, now=None) -> bool:
        return (
            self.acknowledged_at is None and self.is_open and (now or timezone.now()) > self.ack_due
        )

    def overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and (self.ack_overdue(now) or timezone.localdate(now) > self.due_on)

    @property
    def needs_approval(self) -> bool:
        return self.kind in c.NEEDS_APPROVAL


class Anonymisation(models.Model):
    """One record made anonymous: which, why, by whom, on what ground (a request or a retention
    review) and which fields. Written once, never changed; the record's own history keeps the
    change, without the values that were erased."""

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    record_type = models.CharField(_("jenis data"), max_length=50)
    record_uid = models.CharField(_("ID data"), max_length=64)
    record_id = models.BigIntegerField(_("ID internal data"), null=True, blank=True)
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True, blank=True)
    fields = models.JSONField(_("isian yang dianonimkan"), default=list)
    reason = models.TextField(_("alasan"))
    request = models.ForeignKey(
        SubjectRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("permintaan"),
    )
    review = models.ForeignKey(
        "privacy.RetentionReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tinjauan masa simpan"),
    )
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    done_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    objects = AnonymisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("anonimisasi")
        verbose_name_plural = _("anonimisasi")
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_uid}"
