"""Data ganda: people registered twice under different or missing NIKs, found by record linkage.

A *run* scores pairs of people; each candidate pair waits in the review queue until a reviewer
confirms it (and merges the two records) or dismisses it. A merge is recorded with everything it
moved, so it can be undone exactly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.core.models import PublicIdModel
from pandu.core.querysets import ScopedQuerySet
from pandu.registry.models import Person


class LinkageModel(models.Model):
    """A trained Splink model (its settings JSON with m/u probabilities); the newest one is used."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dilatih oleh"),
    )
    records = models.PositiveIntegerField(_("jumlah data latih"), default=0)
    area_code = models.CharField(_("wilayah data latih"), max_length=13, blank=True)
    settings_json = models.JSONField(_("model Splink"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("model pencocokan")
        verbose_name_plural = _("model pencocokan")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.records})"


class DedupRun(PublicIdModel):
    """One run of ``find_duplicates`` (command or background job) over the registry or an area."""

    area_code = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    threshold = models.FloatField(_("ambang probabilitas"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimulai oleh"),
    )
    model = models.ForeignKey(
        LinkageModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("model"),
    )
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    people = models.PositiveIntegerField(_("jumlah penduduk"), default=0)
    compared = models.PositiveBigIntegerField(_("pasangan dibandingkan"), default=0)
    pairs = models.PositiveIntegerField(_("pasangan di atas ambang"), default=0)
    new_pairs = models.PositiveIntegerField(_("pasangan baru"), default=0)
    seconds = models.FloatField(_("lama (detik)"), null=True, blank=True)
    timings = models.JSONField(_("rincian waktu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pencarian data ganda")
        verbose_name_plural = _("pencarian data ganda")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.area_code or '*'}"


class PairStatus(models.TextChoices):
    OPEN = "open", _("Menunggu pemeriksaan")
    CONFIRMED = "confirmed", _("Dikonfirmasi ganda")
    DISMISSED = "dismissed", _("Bukan orang yang sama")


class DuplicatePairQuerySet(ScopedQuerySet):
    """Pairs whose two people are both inside the user's area, for roles that review."""

    area_field = ("person_a__area_code", "person_b__area_code")
    caps = {"view": Cap.REVIEW_DUPLICATES, "review": Cap.REVIEW_DUPLICATES}

    def reviewable(self):
        """Open pairs whose two records are still active (a merged record leaves the queue)."""
        return self.filter(
            status=PairStatus.OPEN, person_a__status="active", person_b__status="active"
        )


class DuplicatePair(PublicIdModel):
    """Two people who may be one: ``person_a`` has the lower id, so each pair is stored once."""

    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(_("probabilitas sama"))
    match_weight = models.FloatField(_("bobot kecocokan"))
    evidence = models.JSONField(_("bukti per perbandingan"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    run = models.ForeignKey(
        DedupRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="found",
        verbose_name=_("pencarian"),
    )
    source = models.CharField(_("sumber"), max_length=10, default="batch")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("waktu keputusan"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        verbose_name = _("pasangan data ganda")
        verbose_name_plural = _("pasangan data ganda")
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="dedup_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="dedup_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"])]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} ({self.probability:.3f})"


class MergeQuerySet(ScopedQuerySet):
    """Merges whose two people are both inside the user's area, for roles that review."""

    area_field = ("survivor__area_code", "merged__area_code")
    caps = {"view": Cap.REVIEW_DUPLICATES, "review": Cap.REVIEW_DUPLICATES}


class Merge(PublicIdModel):
    """A confirmed pair made into one record; ``moved`` lists every link moved, for undo.

    ``moved`` is ``[{"model": "registry.ppksassignment", "field": "person", "ids": [..],
    "before": {id: {field: value}}}, ...]``; ``person_before`` holds the merged record's own
    values (status, status_date, status_reason, merged_into) before the merge.
    """

    pair = models.ForeignKey(
        DuplicatePair,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merges",
        verbose_name=_("pasangan"),
    )
    survivor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("data dipertahankan")
    )
    merged = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("data digabung")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("digabung oleh"),
    )
    reason = models.CharField(_("alasan"), max_length=300)
    moved = models.JSONField(_("tautan yang dipindah"), default=list)
    person_before = models.JSONField(_("nilai sebelum penggabungan"), default=dict)
    undone_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibatalkan oleh"),
    )
    undo_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("penggabungan data ganda")
        verbose_name_plural = _("penggabungan data ganda")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"

    @property
    def moved_count(self) -> int:
        return sum(len(m.get("ids", [])) for m in self.moved)
