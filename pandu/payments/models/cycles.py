"""Siklus: one period of a programme's payments in an area, and what each recipient is owed in it.

A cycle is computed (one statement over the programme's active KPM), approved in two steps (the
Dinas, then the head of office), paid through its payment lists and reconciled, then closed. Its
entitlements are frozen when the head approves it: nothing recomputes or changes their amounts
afterwards. A change in a family's composition therefore takes effect from the next cycle.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.organisations.models import Organisation
from pandu.programs.models import Enrolment, Programme
from pandu.regions.models import Area

from .. import choices as c
from ..queries import ConditionalityQuerySet, CycleQuerySet, EntitlementQuerySet
from .config import Scheme

USER = settings.AUTH_USER_MODEL


class Cycle(PublicIdModel):
    """One period of payments of a programme in an area: "PKH tahap 1 2026, Kabupaten Maros"."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("program")
    )
    name = models.CharField(_("nama siklus"), max_length=120)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    status = models.CharField(
        _("status"), max_length=16, choices=c.CycleStatus.choices, default=c.CycleStatus.DRAFT
    )
    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("skema yang dipakai"),
    )
    #: What the computation found and what the reconciliation changed (kept by the actions).
    figures = models.JSONField(_("angka"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("dihitung"), null=True, blank=True)
    computed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("dihitung oleh"),
    )
    dinas_at = models.DateTimeField(_("disetujui Dinas"), null=True, blank=True)
    dinas_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("disetujui Dinas oleh"),
    )
    head_at = models.DateTimeField(_("disetujui Kepala"), null=True, blank=True)
    head_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("disetujui Kepala oleh"),
    )
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("ditutup oleh"),
    )
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "figures"])
    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("siklus penyaluran")
        verbose_name_plural = _("siklus penyaluran")
        ordering = ["-period_start", "programme", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "area", "period_start"], name="one_cycle_per_start"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="cycle_period_span"
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.area_id

    @property
    def frozen(self) -> bool:
        """Approved by the head: the entitlements no longer change."""
        return self.status in (c.CycleStatus.APPROVED, c.CycleStatus.CLOSED)


class Entitlement(models.Model):
    """What one family (a KPM) or one group (a KUBE, a village account) is owed in a cycle: the
    amount and, per component, how many members counted and for how much.

    Written in bulk by the cycle's computation; no per-row history (the cycle's history and the
    fields below say who held or approved one, and the payments say what happened to it).

    Its keys carry no database foreign-key constraint (``db_constraint=False``): PostgreSQL
    checks one row by one, and locks each family, person and KPM named, which took more than
    half the time of writing 250,000 entitlements. The computation takes every key from a join
    with the row it names in the same statement, those rows are never deleted (a family or a
    KPM ends by its status; ``on_delete`` still guards deletions made through Django), and
    ``queries.dangling_keys`` counts any key that names nothing (decision 0015)."""

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    # Each row is written with its indexes, 250,000 at a time: only the indexes the reads use
    # are kept (the cycle's lead the composite ones below; a group's is the unique one).
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="entitlements",
        db_index=False,
        verbose_name=_("siklus"),
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,  # the unique (cycle, household) index below serves the look-ups
        verbose_name=_("keluarga"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("kelompok"),
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,  # read through the cycle; never looked up by enrolment
        verbose_name=_("KPM"),
    )
    recipient = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("penerima"),
    )
    area_code = models.CharField(_("wilayah"), max_length=13)
    channel = models.CharField(_("saluran"), max_length=10, choices=c.Channel.choices)
    amount = models.DecimalField(_("nilai (Rp)"), max_digits=14, decimal_places=0)
    #: ``{"SD": [2, 450000], ...}``: members counted and their amount, per component.
    components = models.JSONField(_("rincian komponen"), default=dict, blank=True)
    capped = models.BooleanField(_("dibatasi nilai paling banyak"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.EntitlementStatus.choices,
        default=c.EntitlementStatus.DRAFT,
    )
    #: A failed payment carried into a later cycle's payment list (the retry list).
    retry_in = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="retries",
        null=True,
        blank=True,
        db_index=False,  # the partial index below holds the few carried ones
        verbose_name=_("dibayar ulang di siklus"),
    )
    # A group's account (a village account, a KUBE's account); a family's comes from the
    # recipient's registry record.
    account_bank = models.CharField(_("bank"), max_length=50, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    account_name = models.CharField(_("nama rekening"), max_length=150, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("ditahan/disetujui oleh"),
    )
    decided_at = models.DateTimeField(_("ditahan/disetujui"), null=True, blank=True)

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("hak bantuan")
        verbose_name_plural = _("hak bantuan")
        ordering = ["cycle", "area_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "household"],
                condition=Q(household__isnull=False),
                name="one_entitlement_per_household_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_entitlement_per_group_cycle",
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=True, organisation__isnull=False)
                | Q(household__isnull=False, organisation__isnull=True),
                name="entitlement_of_household_or_group",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="entitlement_not_negative"),
        ]
        indexes = [
            # A cycle's rows in area order: payment lists, lists of an area, figures. The status
            # is in no index: the reconciliation changes it on every row, and on PostgreSQL the
            # change then stays on its page (a HOT update, with the table's fillfactor of 50)
            # instead of writing a new entry into every index.
            models.Index(fields=["cycle", "area_code"]),
            models.Index(
                fields=["retry_in", "channel"],
                condition=Q(retry_in__isnull=False),
                name="entitlement_retry_in",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uid)


class ConditionalityRecord(models.Model):
    """Whether a KPM met a condition in a cycle: a child's school attendance, a mother's or a
    toddler's health visits. Misses lead to the scheme's consequence (suspension after N)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="conditionality", verbose_name=_("siklus")
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("keluarga"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("anggota"),
    )
    area_code = models.CharField(_("wilayah"), max_length=13, db_index=True)
    kind = models.CharField(_("kewajiban"), max_length=10, choices=c.ConditionalityKind.choices)
    result = models.CharField(_("hasil"), max_length=16, choices=c.ConditionalityResult.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now=True)
    #: Set when the consequence was applied (the KPM suspended because of this miss).
    consequence = models.CharField(_("akibat"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ConditionalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemenuhan kewajiban")
        verbose_name_plural = _("pemenuhan kewajiban")
        ordering = ["cycle", "household", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "person", "kind"],
                condition=Q(person__isnull=False),
                name="one_condition_record_per_person",
            ),
            models.UniqueConstraint(
                fields=["cycle", "household", "kind"],
                condition=Q(person__isnull=True),
                name="one_condition_record_per_household",
            ),
        ]
        indexes = [models.Index(fields=["household", "result"])]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.household_id} {self.kind}"
