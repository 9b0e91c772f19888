"""Penetapan sasaran: which families a programme's rules select, and their welfare desil.

A *rule set* and a *PMT model* are versioned: a change is a new version, never an edit, and every
*run* records the versions it used. A run scores and ranks one area's active families in SQL and
keeps one *result* row per family (score, rank, desil, eligible, which rule parts failed, which PMT
variables had no value): the family's desil history. A dry run is kept until it is committed or
replaced; an *appeal* against a result becomes an intake of the one-stop service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.core.models import PublicIdModel

from .capabilities import TCap
from .queries import AppealQuerySet, ResultQuerySet, RunQuerySet, VersionedQuerySet


class RuleSet(PublicIdModel):
    """One version of an eligibility rule (JSON: all/any/not/member groups of conditions)."""

    name = models.CharField(_("nama aturan"), max_length=120)
    version = models.PositiveIntegerField(_("versi"))
    rules = models.JSONField(_("aturan"))
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("aturan kelayakan")
        verbose_name_plural = _("aturan kelayakan")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="ruleset_name_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class PMTModel(PublicIdModel):
    """One version of a proxy-means test model file (intercept and weighted variables)."""

    name = models.CharField(_("nama model"), max_length=120)
    version = models.CharField(_("versi"), max_length=40)
    spec = models.JSONField(_("berkas model"))
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("model PMT")
        verbose_name_plural = _("model PMT")
        ordering = ["name", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="pmtmodel_name_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class TargetingRun(PublicIdModel):
    """One computation of eligibility, PMT score and desil over an area's active families."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dihitung")
        DRY = "dry", _("Uji coba (belum ditetapkan)")
        COMMITTED = "committed", _("Ditetapkan")
        FAILED = "failed", _("Gagal")

    programme = models.ForeignKey(
        "programs.Programme",
        on_delete=models.PROTECT,
        related_name="targeting_runs",
        verbose_name=_("program"),
    )
    area_code = models.CharField(_("wilayah"), max_length=13, db_index=True)
    ruleset = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("aturan")
    )
    pmt_model = models.ForeignKey(
        PMTModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("model PMT"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    as_of = models.DateField(_("tanggal acuan umur"))
    amount = models.DecimalField(
        _("nilai bantuan per keluarga (Rp)"), max_digits=14, decimal_places=0, default=0
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penetapan sebelumnya"),
    )
    source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skor PMT dari"),
        help_text=_("Penetapan yang skor, peringkat dan desilnya dipakai ulang."),
    )
    rows_stored = models.BooleanField(
        _("hasil per keluarga tersimpan"),
        default=True,
        db_default=True,  # rows written by other tools (older releases) count as stored
        help_text=_("Uji coba yang hanya dihitung menyimpan hasil per keluarga saat ditetapkan."),
    )
    population = models.PositiveIntegerField(_("jumlah keluarga"), default=0)
    eligible = models.PositiveIntegerField(_("jumlah layak"), default=0)
    unscored = models.PositiveIntegerField(_("tanpa skor (data kurang)"), default=0)
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    warnings = models.JSONField(_("peringatan"), default=list, blank=True)
    seconds = models.FloatField(_("lama (detik)"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijalankan oleh"),
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditetapkan oleh"),
    )
    committed_at = models.DateTimeField(_("ditetapkan"), null=True, blank=True)
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("penetapan sasaran")
        verbose_name_plural = _("penetapan sasaran")
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(_("Penetapan %(id)s") % {"id": str(self.uid)[:8]})


class TargetingResult(models.Model):
    """One family in one run: the desil history is these rows, newest run first."""

    # No database foreign keys: a run writes its rows in one set-based statement from the run's own
    # row and the household table itself, and a per-row key check (PostgreSQL checks each of a
    # million rows at commit) would cost more than the computation. Families are never deleted;
    # a run's rows go with it (Django's cascade). One index fewer to write: the unique
    # (run, household) pair serves the run's look-ups.
    run = models.ForeignKey(
        TargetingRun,
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,  # the unique (run, household) index below serves it
        db_constraint=False,
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    score = models.FloatField(_("skor PMT"), null=True)
    rank = models.PositiveIntegerField(_("peringkat"), null=True)
    desil = models.PositiveSmallIntegerField(_("desil"), null=True)
    eligible = models.BooleanField(_("layak"))
    # Bit i: the rule's i-th top-level part failed / the model's i-th variable had no value.
    failed_mask = models.BigIntegerField(default=0)
    missing_mask = models.BigIntegerField(default=0)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("hasil penetapan")
        verbose_name_plural = _("hasil penetapan")
        constraints = [
            models.UniqueConstraint(fields=["run", "household"], name="result_run_household")
        ]
        indexes = [models.Index(fields=["household", "run"])]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.household_id}"


class Appeal(PublicIdModel):
    """A family's objection to a result, received as an intake of the one-stop service."""

    run = models.ForeignKey(
        TargetingRun, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("penetapan")
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("keluarga")
    )
    intake = models.OneToOneField(
        "services.Intake",
        on_delete=models.PROTECT,
        related_name="targeting_appeal",
        verbose_name=_("pengaduan"),
    )
    reason = models.TextField(_("alasan keberatan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("keberatan hasil penetapan")
        verbose_name_plural = _("keberatan hasil penetapan")
        ordering = ["-id"]


__all__ = ["TCap", "RuleSet", "PMTModel", "TargetingRun", "TargetingResult", "Appeal"]
