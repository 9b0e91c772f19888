"""Graduation: the criteria a programme sets for leaving it, the plan that leads one family
there (goals, steps with due dates, a facilitator), and the follow-up visits of the year after.

A graduated family's enrolment moves to *graduasi* through the programme's own status change;
the plan keeps the date, who decided, the family's way on (a KUBE group, a UEP grant, or on its
own) and the follow-up visits due 3, 6 and 12 months later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.regions.models import Area

from ..choices import Condition, CriterionKind, Pathway, PlanStatus
from ..queries import CriterionQuerySet, PlanPartQuerySet, PlanQuerySet

USER = settings.AUTH_USER_MODEL


class GraduationCriterion(PublicIdModel):
    """One condition for graduating a programme's KPM in an area (none: the whole country).

    *Required* criteria must all be met; of the others, at least one (when there are any).
    All required is "all of"; none required is "any of".
    """

    programme = models.ForeignKey(
        "programs.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("program"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("wilayah"),
        help_text=_("Kosong untuk kriteria nasional."),
    )
    kind = models.CharField(_("kriteria"), max_length=20, choices=CriterionKind.choices)
    threshold = models.DecimalField(
        _("ambang"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    required = models.BooleanField(
        _("wajib dipenuhi"),
        default=True,
        help_text=_(
            "Kriteria wajib harus dipenuhi semuanya; dari kriteria yang tidak wajib, paling "
            "sedikit satu."
        ),
    )
    note = models.CharField(_("catatan / dasar"), max_length=300, blank=True)
    active = models.BooleanField(_("berlaku"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kriteria graduasi")
        verbose_name_plural = _("kriteria graduasi")
        ordering = ["programme", "area", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "area", "kind"],
                condition=Q(active=True),
                name="one_active_criterion_per_kind",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind"],
                condition=Q(active=True, area__isnull=True),
                name="one_active_national_criterion_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.kind} {self.threshold or ''}".strip()


class GraduationPlan(PublicIdModel):
    """The way one KPM family works towards leaving the programme, with its facilitator."""

    enrolment = models.ForeignKey(
        "programs.Enrolment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("KPM"),
    )
    area_code = models.CharField(_("desa/kelurahan"), max_length=13, db_index=True)
    facilitator = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("pendamping")
    )
    goals = models.TextField(_("tujuan"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    business_started_on = models.DateField(
        _("usaha keluarga berjalan sejak"),
        null=True,
        blank=True,
        help_text=_("Untuk kriteria usaha berjalan N bulan."),
    )
    self_declared_on = models.DateField(
        _("tanggal keluarga menyatakan diri mampu"),
        null=True,
        blank=True,
        help_text=_("Diisi bila keluarga menandatangani pernyataan graduasi mandiri."),
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("disusun oleh")
    )
    graduated_on = models.DateField(_("tanggal graduasi"), null=True, blank=True)
    graduated_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("diluluskan oleh"),
    )
    pathway = models.CharField(
        _("jalur pemberdayaan"), max_length=10, choices=Pathway.choices, blank=True
    )
    closing_reason = models.CharField(_("alasan"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencana graduasi")
        verbose_name_plural = _("rencana graduasi")
        ordering = ["area_code", "-id"]
        constraints = [
            # One plan at a time per KPM: a running or a fulfilled one (a cancelled plan may be
            # followed by a new one).
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status__in=["berjalan", "lulus"]),
                name="one_live_plan_per_enrolment",
            )
        ]
        indexes = [models.Index(fields=["status", "area_code"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.status}"


class PlanStep(PublicIdModel):
    """One step of a plan (training, opening a savings account, starting a business)."""

    plan = models.ForeignKey(
        GraduationPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("rencana")
    )
    title = models.CharField(_("langkah"), max_length=200)
    due_on = models.DateField(_("target selesai"))
    done_on = models.DateField(_("selesai"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("langkah rencana graduasi")
        verbose_name_plural = _("langkah rencana graduasi")
        ordering = ["plan", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class FollowUp(PublicIdModel):
    """A visit due some months after graduation: how the family fares on its own."""

    plan = models.ForeignKey(
        GraduationPlan,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("rencana"),
    )
    months = models.PositiveSmallIntegerField(_("bulan setelah graduasi"))
    due_on = models.DateField(_("jatuh tempo"))
    done_on = models.DateField(_("tanggal kunjungan"), null=True, blank=True)
    visited_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("dikunjungi oleh"),
    )
    condition = models.CharField(
        _("kondisi keluarga"), max_length=16, choices=Condition.choices, blank=True
    )
    income_monthly = models.PositiveBigIntegerField(
        _("perkiraan pendapatan per bulan (Rp)"), null=True, blank=True
    )
    business_running = models.BooleanField(_("usaha masih berjalan"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("pendampingan pasca-graduasi")
        verbose_name_plural = _("pendampingan pasca-graduasi")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "months"], name="one_follow_up_per_month")
        ]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.plan_id} +{self.months}"
