"""Integrated programmes (program terpadu, the Maros model): one area designated by a decision,
several implementers each with its own sub-programme and activities, funding lines with their
realisation, and a monitoring and evaluation plan with its reports."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.core.versions import VersionedModel
from pandu.organisations.models import Organisation
from pandu.regions.models import Area

from .. import choices as c
from .. import queries as q
from .catalogue import Programme

USER = settings.AUTH_USER_MODEL


class IntegratedProgramme(VersionedModel, PublicIdModel):
    """A programme many bodies run together in one area, designated by a decision (the Bupati
    of Maros chose Moncongloe on 24 June 2012, for its poverty and its PMKS)."""

    title = models.CharField(_("nama program terpadu"), max_length=250)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("lokasi")
    )
    coordinator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coordinated_programmes",
        null=True,
        blank=True,
        verbose_name=_("lembaga koordinator"),
    )
    designated_by = models.CharField(
        _("ditetapkan oleh"), max_length=150, blank=True, help_text=_("Mis. Bupati Maros.")
    )
    decision_number = models.CharField(_("nomor keputusan"), max_length=100, blank=True)
    decision_date = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    reasons = models.JSONField(_("alasan penetapan"), default=list, blank=True)
    figures = models.JSONField(
        _("angka yang mendasari"),
        default=list,
        blank=True,
        help_text=_('Daftar {"label", "value", "unit"}.'),
    )
    objectives = models.JSONField(_("tujuan"), default=list, blank=True)
    expected_results = models.JSONField(_("hasil yang diharapkan"), default=list, blank=True)
    legal_basis = models.JSONField(_("dasar pelaksanaan"), default=list, blank=True)
    starts_on = models.DateField(_("mulai"), null=True, blank=True)
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=c.IntegratedStatus.choices, default="rencana"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = q.IntegratedProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("program terpadu")
        verbose_name_plural = _("program terpadu")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class Implementer(PublicIdModel):
    """One body's part of an integrated programme: its own sub-programme and activities."""

    programme = models.ForeignKey(
        IntegratedProgramme,
        on_delete=models.PROTECT,
        related_name="implementers",
        verbose_name=_("program terpadu"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name=_("lembaga pelaksana"),
    )
    sub_programme = models.CharField(_("program pelaksana"), max_length=250)
    catalogue_programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="implementations",
        null=True,
        blank=True,
        verbose_name=_("program dalam katalog"),
    )
    me_team = models.CharField(_("tim monitoring dan evaluasi"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = q.ImplementerQuerySet.as_manager()

    class Meta:
        verbose_name = _("pelaksana")
        verbose_name_plural = _("pelaksana")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="one_part_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.sub_programme}"


class FocalPoint(models.Model):
    """Links a user to the implementer whose activities they see and update."""

    implementer = models.ForeignKey(
        Implementer,
        on_delete=models.PROTECT,
        related_name="focal_points",
        verbose_name=_("pelaksana"),
    )
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="focal_points", verbose_name=_("pengguna")
    )
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()
    objects = q.FocalPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("penanggung jawab pelaksana")
        verbose_name_plural = _("penanggung jawab pelaksana")
        constraints = [
            models.UniqueConstraint(fields=["implementer", "user"], name="one_link_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.implementer}"


class Activity(PublicIdModel):
    """An implementer's activity: for whom, how many ("70 orang"), when, where, what came of it."""

    implementer = models.ForeignKey(
        Implementer,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("pelaksana"),
    )
    name = models.CharField(_("kegiatan"), max_length=250)
    description = models.TextField(_("uraian"), blank=True)
    target_groups = models.JSONField(_("sasaran"), default=list, blank=True)
    target_quantity = models.PositiveIntegerField(_("target"), null=True, blank=True)
    target_unit = models.CharField(_("satuan target"), max_length=40, blank=True)
    achieved_quantity = models.PositiveIntegerField(_("realisasi"), null=True, blank=True)
    starts_on = models.DateField(_("mulai"), null=True, blank=True)
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    location = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("lokasi kegiatan"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=c.ActivityStatus.choices, default="rencana"
    )
    outputs = models.TextField(_("keluaran"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = q.ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["implementer", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="activity_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def target_groups_display(self) -> list[str]:
        labels = dict(c.TargetGroup.choices)
        return [str(labels.get(g, g)) for g in self.target_groups]


class Participant(models.Model):
    """Someone taking part in an activity: a registry person (picked by NIK, never shown in a
    URL) or someone outside the registry by name, with attendance."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("kegiatan")
    )
    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="activity_participations",
        null=True,
        blank=True,
        verbose_name=_("penduduk"),
    )
    name = models.CharField(_("nama"), max_length=150)
    group = models.CharField(_("kelompok sasaran"), max_length=12, choices=c.TargetGroup.choices)
    affiliation = models.CharField(_("asal/lembaga"), max_length=150, blank=True)
    attendance = models.CharField(
        _("kehadiran"), max_length=12, choices=c.Attendance.choices, default="diundang"
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    history = HistoricalRecords()
    objects = q.ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["activity", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(person__isnull=False),
                name="person_once_per_activity",
            )
        ]

    def __str__(self) -> str:
        return self.name


class FundingLine(PublicIdModel):
    """Money for an implementer's part or one activity: where it comes from, the budget
    document (a DIPA's number and date), how much is planned."""

    programme = models.ForeignKey(
        IntegratedProgramme,
        on_delete=models.PROTECT,
        related_name="funding_lines",
        verbose_name=_("program terpadu"),
    )
    implementer = models.ForeignKey(
        Implementer,
        on_delete=models.PROTECT,
        related_name="funding_lines",
        null=True,
        blank=True,
        verbose_name=_("pelaksana"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="funding_lines",
        null=True,
        blank=True,
        verbose_name=_("kegiatan"),
    )
    source = models.CharField(_("sumber dana"), max_length=16, choices=c.FundingSource.choices)
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_lines",
        null=True,
        blank=True,
        verbose_name=_("pemberi dana"),
    )
    document_number = models.CharField(_("nomor dokumen anggaran"), max_length=100, blank=True)
    document_date = models.DateField(_("tanggal dokumen anggaran"), null=True, blank=True)
    description = models.CharField(_("uraian"), max_length=300, blank=True)
    planned_amount = models.DecimalField(
        _("rencana (Rp)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = q.FundingLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("sumber pendanaan")
        verbose_name_plural = _("sumber pendanaan")
        ordering = ["programme", "implementer", "id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.document_number}".strip()


def evidence_upload_to(instance, filename: str) -> str:
    return f"programs/evidence/{filename}"


class FundingRealisation(PublicIdModel):
    """What was spent (or given in kind) in one period against a funding line, with evidence."""

    line = models.ForeignKey(
        FundingLine,
        on_delete=models.PROTECT,
        related_name="realisations",
        verbose_name=_("sumber pendanaan"),
    )
    period_start = models.DateField(_("periode mulai"))
    period_end = models.DateField(_("periode akhir"))
    amount = models.DecimalField(
        _("realisasi (Rp)"), max_digits=16, decimal_places=0, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    evidence = models.FileField(_("bukti"), upload_to=evidence_upload_to, blank=True)
    evidence_name = models.CharField(_("nama berkas bukti"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = q.RealisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("realisasi dana")
        verbose_name_plural = _("realisasi dana")
        ordering = ["line", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="realisation_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.period_start:%m-%Y}"


class MonitoringPlan(models.Model):
    """One line of the M&E plan: a monthly report, a quarterly evaluation, an ad-hoc visit, and
    the team that does it."""

    programme = models.ForeignKey(
        IntegratedProgramme,
        on_delete=models.PROTECT,
        related_name="monitoring_plan",
        verbose_name=_("program terpadu"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=c.MEKind.choices)
    team = models.CharField(_("tim penanggung jawab"), max_length=250)
    implementer = models.ForeignKey(
        Implementer,
        on_delete=models.PROTECT,
        related_name="monitoring_plan",
        null=True,
        blank=True,
        verbose_name=_("pelaksana"),
    )
    description = models.CharField(_("uraian"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = q.MonitoringPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencana monitoring dan evaluasi")
        verbose_name_plural = _("rencana monitoring dan evaluasi")
        ordering = ["programme", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.team}"


def report_upload_to(instance, filename: str) -> str:
    return f"programs/reports/{filename}"


class MonitoringReport(PublicIdModel):
    """A report made against the M&E plan by an implementer's team or the coordinator."""

    programme = models.ForeignKey(
        IntegratedProgramme,
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
        verbose_name=_("program terpadu"),
    )
    plan = models.ForeignKey(
        MonitoringPlan,
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
        verbose_name=_("rencana M&E"),
    )
    implementer = models.ForeignKey(
        Implementer,
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
        null=True,
        blank=True,
        verbose_name=_("pelaksana"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=c.MEKind.choices)
    period_start = models.DateField(_("periode mulai"))
    period_end = models.DateField(_("periode akhir"))
    summary = models.TextField(_("ringkasan"))
    findings = models.TextField(_("temuan dan tindak lanjut"), blank=True)
    file = models.FileField(_("berkas laporan"), upload_to=report_upload_to, blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dilaporkan oleh")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = q.MonitoringReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan monitoring dan evaluasi")
        verbose_name_plural = _("laporan monitoring dan evaluasi")
        ordering = ["programme", "-period_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%m-%Y}"
