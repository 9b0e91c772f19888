"""The breach register: an incident of personal data, its 3×24-hour clock for telling the
people affected and the authority (UU 27/2022), and every notice sent."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel

from .. import choices as c
from ..queries import BreachQuerySet, NoticeQuerySet
from ._common import USER


class Breach(PublicIdModel):
    number = models.CharField(_("nomor"), max_length=20, blank=True, db_index=True)
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    title = models.CharField(_("judul singkat"), max_length=200)
    discovered_at = models.DateTimeField(_("diketahui"))
    occurred_at = models.DateTimeField(_("terjadi (perkiraan)"), null=True, blank=True)
    description = models.TextField(_("uraian kejadian"))
    categories = models.JSONField(_("jenis data yang terdampak"), default=list)
    specific_data = models.BooleanField(_("menyangkut data pribadi spesifik"), default=False)
    people_affected = models.PositiveIntegerField(_("jumlah orang terdampak"))
    people_estimated = models.BooleanField(_("jumlah masih perkiraan"), default=False)
    containment = models.TextField(_("langkah penanganan/pemulihan"), blank=True)
    # The clock: told before ``notify_due`` (discovered + 3×24 hours).
    notify_due = models.DateTimeField(_("batas pemberitahuan"))
    subjects_notified_at = models.DateTimeField(_("subjek data diberi tahu"), null=True, blank=True)
    authority_notified_at = models.DateTimeField(_("lembaga diberi tahu"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=c.BreachStatus.choices, default=c.BreachStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    closing_note = models.TextField(_("catatan penutupan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = BreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("insiden kebocoran data")
        verbose_name_plural = _("insiden kebocoran data")
        ordering = ["-discovered_at", "-id"]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def fully_notified(self) -> bool:
        return self.subjects_notified_at is not None and self.authority_notified_at is not None

    def notice_overdue(self, now=None) -> bool:
        return not self.fully_notified and (now or timezone.now()) > self.notify_due

    def category_labels(self) -> list[str]:
        labels = dict(c.DataCategory.choices)
        return [str(labels.get(k, k)) for k in self.categories]


class BreachNotice(models.Model):
    """One notice sent about a breach: to whom, how, when, with what reference."""

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    breach = models.ForeignKey(
        Breach, on_delete=models.PROTECT, related_name="notices", verbose_name=_("insiden")
    )
    recipient = models.CharField(_("kepada"), max_length=10, choices=c.NoticeRecipient.choices)
    method = models.CharField(_("cara"), max_length=12, choices=c.NoticeMethod.choices)
    sent_at = models.DateTimeField(_("dikirim"))
    reference = models.CharField(_("nomor surat/rujukan"), max_length=100, blank=True)
    recipients_count = models.PositiveIntegerField(_("jumlah penerima"), null=True, blank=True)
    summary = models.TextField(_("isi pemberitahuan (ringkas)"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemberitahuan insiden")
        verbose_name_plural = _("pemberitahuan insiden")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} {self.sent_at:%d-%m-%Y %H:%M}"
