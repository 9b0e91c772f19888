"""Cases: assessment, plan (goals and actions), notes, tasks, counselling sessions, events."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.fields import EncryptedJSONField, EncryptedTextField
from pandu.core.models import PublicIdModel
from pandu.core.versions import VersionedModel

from .. import choices as c
from ..queries import AssessmentQuerySet, CasePartQuerySet, CaseQuerySet, PlanActionQuerySet
from ._common import USER
from .intake import Intake
from .points import ServicePoint


class Case(VersionedModel, PublicIdModel):
    """The handling of one intake by a social worker or TKSK: assessment, plan, follow-up."""

    intake = models.OneToOneField(
        Intake, on_delete=models.PROTECT, related_name="case", verbose_name=_("pengaduan")
    )
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("titik layanan"),
    )
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=c.CaseStatus.choices, default=c.CaseStatus.OPEN
    )
    sensitive = models.BooleanField(_("sensitif"), default=False, db_index=True)
    # The intake's urgency as a sort key (``choices.URGENCY_RANK``: 0 emergency … 3 low), set
    # when the case is opened; lists sort on it, urgent first.
    urgency_rank = models.PositiveSmallIntegerField(
        _("urutan urgensi"), default=c.URGENCY_RANK[c.Urgency.NORMAL], editable=False
    )
    assigned_to = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("petugas penanganan"),
    )
    assigned_at = models.DateTimeField(_("ditugaskan"), null=True, blank=True)
    opened_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuka oleh")
    )
    plan_summary = EncryptedTextField(_("ringkasan rencana"), blank=True)
    plan_status = models.CharField(
        _("status rencana"), max_length=10, choices=c.PlanStatus.choices, default=c.PlanStatus.DRAFT
    )
    plan_decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rencana diputuskan oleh"),
    )
    plan_decided_at = models.DateTimeField(_("rencana diputuskan"), null=True, blank=True)
    plan_comment = EncryptedTextField(_("catatan supervisor atas rencana"), blank=True)
    outcome = models.CharField(
        _("hasil penanganan"), max_length=15, choices=c.Outcome.choices, blank=True
    )
    closure_summary = EncryptedTextField(_("ringkasan penutupan"), blank=True)
    closure_requested_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penutupan diajukan oleh"),
    )
    closure_requested_at = models.DateTimeField(_("penutupan diajukan"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditutup oleh"),
    )
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("dibuka kembali"), default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        indexes = [
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["area_code", "status"]),
            # A worker's cases, urgent first.
            models.Index(fields=["assigned_to", "urgency_rank"], name="case_worker_urgency"),
        ]

    def __str__(self) -> str:
        return self.intake.ticket_number

    @property
    def number(self) -> str:
        return self.intake.ticket_number


class Assessment(models.Model):
    """The structured assessment of one need area of a case; saved as a draft until final."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("kasus")
    )
    area = models.CharField(_("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices)
    data = EncryptedJSONField(_("isian"), default=dict, blank=True)
    final = models.BooleanField(_("final"), default=False)
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("diubah oleh")
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("asesmen")
        verbose_name_plural = _("asesmen")
        constraints = [
            models.UniqueConstraint(fields=["case", "area"], name="one_assessment_per_need")
        ]

    def __str__(self) -> str:
        return self.get_area_display()


class Goal(models.Model):
    """A goal of the case plan."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="goals", verbose_name=_("kasus")
    )
    description = models.CharField(_("tujuan"), max_length=300)
    need_area = models.CharField(
        _("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices, blank=True
    )
    achieved = models.BooleanField(_("tercapai"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CasePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("tujuan rencana")
        verbose_name_plural = _("tujuan rencana")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class PlanAction(models.Model):
    """A step towards a goal: who does what, by when."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("tujuan")
    )
    description = models.CharField(_("kegiatan"), max_length=300)
    responsible = models.CharField(_("penanggung jawab"), max_length=150, blank=True)
    due_on = models.DateField(_("target tanggal"), null=True, blank=True)
    done = models.BooleanField(_("selesai"), default=False)
    # Left undone when the case closed, with the reason; no longer open.
    cancelled = models.BooleanField(_("dibatalkan"), default=False)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kegiatan rencana")
        verbose_name_plural = _("kegiatan rencana")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class CaseNote(models.Model):
    """A case note; notes are never edited (a correction is a new note)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    text = EncryptedTextField(_("catatan"))

    class Meta:
        verbose_name = _("catatan kasus")
        verbose_name_plural = _("catatan kasus")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


class Task(PublicIdModel):
    """A follow-up with a due date, for the assigned worker unless said otherwise."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("kasus")
    )
    title = models.CharField(_("tindak lanjut"), max_length=300)
    assigned_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="service_tasks", verbose_name=_("petugas")
    )
    due_on = models.DateField(_("batas waktu"))
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )
    # Closed without being done (the case closed), with the reason; ``done_at`` says when.
    cancelled = models.BooleanField(_("dibatalkan"), default=False)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CasePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assigned_to", "done_at", "due_on"]),
            models.Index(fields=["done_at", "due_on"]),
            # A case's next open follow-up (the case lists' "next due"): found from the case,
            # not from every open follow-up, whatever the planner's statistics say.
            models.Index(fields=["case", "done_at", "due_on"], name="task_case_open_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_on < date.today()


class CounsellingSession(PublicIdModel):
    """Konsultasi Kesejahteraan Keluarga (K3): one family counselling session."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="counselling", verbose_name=_("kasus")
    )
    held_on = models.DateField(_("tanggal sesi"), db_index=True)
    counsellor = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("konselor")
    )
    participants = EncryptedTextField(_("peserta"))
    issues = EncryptedTextField(_("masalah yang dibahas"))
    agreed_steps = EncryptedTextField(_("langkah yang disepakati"), blank=True)
    next_session_on = models.DateField(_("sesi berikutnya"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("sesi konsultasi keluarga (K3)")
        verbose_name_plural = _("sesi konsultasi keluarga (K3)")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"K3 {self.held_on:%d-%m-%Y}"


class CaseEvent(models.Model):
    """The case's trail: every transition with who and when. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=20, choices=c.EventKind.choices)
    referral = models.ForeignKey(
        "Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    status = models.CharField(_("status"), max_length=20, blank=True)
    detail = EncryptedTextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("jejak kasus")
        verbose_name_plural = _("jejak kasus")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Case events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Case events cannot be deleted.")
