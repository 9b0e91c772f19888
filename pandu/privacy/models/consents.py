"""Consent (persetujuan) of a person, or of a child's guardian, to the processing of their data:
for registration, and for sharing with a programme or another agency."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel

from .. import choices as c
from ..queries import ConsentQuerySet, RestrictionQuerySet
from ._common import USER, consent_form_upload_to


class ConsentRecord(PublicIdModel):
    """One consent as it was given: its purpose and scope, who gave it and how it was recorded
    (a signed form kept as an upload, or spoken before a witness); its withdrawal, when it
    comes, is written on the same row and the history keeps every change."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("penduduk")
    )
    purpose = models.CharField(_("tujuan"), max_length=20, choices=c.Purpose.choices)
    programme = models.ForeignKey(
        "programs.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi/lembaga penerima"),
    )
    scope = models.TextField(
        _("cakupan"), help_text=_("Data apa yang boleh diproses atau dibagikan, untuk apa.")
    )
    given_by = models.CharField(_("diberikan oleh"), max_length=10, choices=c.GivenBy.choices)
    guardian_name = models.CharField(_("nama orang tua/wali"), max_length=150, blank=True)
    guardian_relationship = models.CharField(_("hubungan wali"), max_length=100, blank=True)
    method = models.CharField(_("cara pencatatan"), max_length=12, choices=c.Method.choices)
    witness_name = models.CharField(_("nama saksi"), max_length=150, blank=True)
    document = models.FileField(
        _("formulir persetujuan"), upload_to=consent_form_upload_to, max_length=200, blank=True
    )
    document_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    document_type = models.CharField(_("jenis berkas"), max_length=50, blank=True)
    given_on = models.DateField(_("tanggal persetujuan"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    withdrawn_on = models.DateField(_("dicabut tanggal"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("alasan pencabutan"), blank=True)
    withdrawn_by = models.CharField(
        _("dicabut oleh"), max_length=10, choices=c.GivenBy.choices, blank=True
    )
    withdrawal_recorded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pencabutan dicatat oleh"),
    )
    withdrawal_recorded_at = models.DateTimeField(_("pencabutan dicatat"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("dianonimkan"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("persetujuan pemrosesan data")
        verbose_name_plural = _("persetujuan pemrosesan data")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["person", "purpose"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d-%m-%Y})"

    def state(self, on: date | None = None) -> str:
        on = on or timezone.localdate()
        if self.withdrawn_on is not None and self.withdrawn_on <= on:
            return c.ConsentState.WITHDRAWN
        if self.given_on > on:
            return c.ConsentState.NOT_YET
        if self.valid_until is not None and self.valid_until < on:
            return c.ConsentState.EXPIRED
        return c.ConsentState.ACTIVE

    @property
    def state_label(self) -> str:
        return str(c.ConsentState(self.state()).label)

    @property
    def recipient(self) -> str:
        if self.programme_id:
            return str(self.programme)
        if self.organisation_id:
            return self.organisation.name if self.organisation else ""
        return ""


class Restriction(PublicIdModel):
    """Processing of a person's data restricted: kept, used for nothing new, until lifted. Made
    at a data subject's request, or instead of an erasure the law or a programme does not allow."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("penduduk")
    )
    request = models.ForeignKey(
        "privacy.SubjectRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restrictions",
        verbose_name=_("permintaan"),
    )
    reason = models.TextField(_("alasan"))
    scope = models.CharField(_("cakupan pembatasan"), max_length=300, blank=True)
    since = models.DateField(_("berlaku sejak"))
    until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    lifted_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )
    lift_reason = models.TextField(_("alasan pencabutan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RestrictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("pembatasan pemrosesan")
        verbose_name_plural = _("pembatasan pemrosesan")
        ordering = ["-since", "-id"]

    def __str__(self) -> str:
        return f"{self.since:%d-%m-%Y} {self.reason[:40]}"
