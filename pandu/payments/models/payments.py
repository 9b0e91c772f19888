"""Pembayaran: what the bank, PT Pos or the e-warong reported for each entitlement.

A reconciliation file says, per recipient, paid / failed / returned with the amount, the date,
the reference and the reason. Each accepted row is one Payment; the database holds at most one
paid payment per family (or group) and cycle, whatever imports run at the same time, and a
reference is used once. Returned funds are deposited back to the state treasury: a
TreasuryReturn records that deposit (amount, date, the deposit's reference).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import Job, PublicIdModel

from .. import choices as c
from ..queries import ImportQuerySet, PaymentQuerySet, TreasuryReturnQuerySet
from .cycles import Cycle, Entitlement

USER = settings.AUTH_USER_MODEL


class ReconciliationImport(PublicIdModel):
    """One reconciliation file imported: who, which file, what was read, recorded and rejected
    (rows read = recorded + already recorded + rejected), and the report of rejected rows."""

    user = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("diimpor oleh"),
    )
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=c.ImportStatus.choices, default=c.ImportStatus.QUEUED
    )
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    recorded = models.PositiveIntegerField(_("dicatat"), default=0)
    unchanged = models.PositiveIntegerField(_("sudah tercatat sebelumnya"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    #: Accepted rows per outcome: {"dibayar": n, "gagal": n, "dikembalikan": n}.
    outcomes = models.JSONField(_("hasil per status"), default=dict, blank=True)
    report_path = models.CharField(max_length=500, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    seconds = models.FloatField(_("lama (detik)"), null=True, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor rekonsiliasi")
        verbose_name_plural = _("impor rekonsiliasi")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def accepted(self) -> int:
        return self.recorded + self.unchanged


class TreasuryReturn(PublicIdModel):
    """Returned funds of a cycle deposited back to the state treasury (Kas Negara), with the
    deposit's reference (NTPN or the bank's receipt number)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="treasury_returns", verbose_name=_("siklus")
    )
    area_code = models.CharField(_("wilayah"), max_length=13, db_index=True)
    amount = models.DecimalField(_("jumlah disetor (Rp)"), max_digits=16, decimal_places=0)
    returned_on = models.DateField(_("tanggal setor"))
    reference = models.CharField(_("nomor bukti setor (NTPN)"), max_length=60, unique=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TreasuryReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("setoran ke kas negara")
        verbose_name_plural = _("setoran ke kas negara")
        ordering = ["-returned_on", "-id"]

    def __str__(self) -> str:
        return self.reference


class Payment(models.Model):
    """One outcome the channel reported for an entitlement. Written in bulk by the
    reconciliation import; never changed afterwards except to link a returned payment to its
    deposit to the treasury. Like an entitlement's, its keys carry no database foreign-key
    constraint: the import takes them from a join with the cycle's entitlements."""

    entitlement = models.ForeignKey(
        Entitlement,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="payments",
        verbose_name=_("hak"),
    )
    # The entitlement's cycle and recipient, repeated so the database itself can refuse a
    # second paid payment of one family (or group) in one cycle.
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        db_index=False,  # (cycle, status) below leads with it
        verbose_name=_("siklus"),
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("keluarga"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("kelompok"),
    )
    area_code = models.CharField(_("wilayah"), max_length=13)
    status = models.CharField(_("status"), max_length=12, choices=c.PaymentStatus.choices)
    amount = models.DecimalField(_("nilai (Rp)"), max_digits=14, decimal_places=0)
    paid_on = models.DateField(_("tanggal"))
    reference = models.CharField(_("referensi"), max_length=60)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    batch = models.ForeignKey(
        ReconciliationImport,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="payments",
        null=True,
        blank=True,
        verbose_name=_("impor"),
    )
    row_number = models.PositiveIntegerField(_("baris berkas"), null=True, blank=True)
    treasury_return = models.ForeignKey(
        TreasuryReturn,
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
        db_index=False,  # the few deposited ones: a partial index below
        verbose_name=_("disetor ke kas negara"),
    )
    recorded_at = models.DateTimeField(_("dicatat"))

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        ordering = ["cycle", "id"]
        constraints = [
            # No family is paid twice for one cycle of one programme (a cycle is one
            # programme's), whatever imports run at the same time.
            models.UniqueConstraint(
                fields=["cycle", "household"],
                condition=Q(status="dibayar", household__isnull=False),
                name="one_paid_payment_per_household_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "organisation"],
                condition=Q(status="dibayar", organisation__isnull=False),
                name="one_paid_payment_per_group_cycle",
            ),
            models.UniqueConstraint(fields=["reference"], name="payment_reference_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_not_negative"),
        ]
        indexes = [
            models.Index(fields=["cycle", "status"]),
            models.Index(
                fields=["cycle"],
                condition=Q(status="dikembalikan", treasury_return__isnull=True),
                name="payment_returned_open",
            ),
            models.Index(
                fields=["treasury_return"],
                condition=Q(treasury_return__isnull=False),
                name="payment_deposited",
            ),
        ]

    def __str__(self) -> str:
        return self.reference
