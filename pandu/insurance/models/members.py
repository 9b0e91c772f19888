"""Peserta Askesos: a registry person enrolled by a provider in one of its schemes, the periods
in which they were covered, and their premium ledger (what fell due each month, what was paid).

The ledger's figures on the membership (``total_due``, ``total_paid``, ``paid_through``,
``months_unpaid``, ``lapse_on``) are written by the monthly ledger run and by each payment, so
lists and reminders read them without adding up a member's rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.registry.choices import WorkStatus

from ..choices import EndReason, MemberStatus, PaymentMethod
from ..queries import MemberPartQuerySet, MemberQuerySet, PaymentQuerySet, PremiumImportQuerySet
from .providers import Provider
from .schemes import Scheme

USER = settings.AUTH_USER_MODEL


def _rupiah(label, **kwargs):
    return models.DecimalField(label, max_digits=16, decimal_places=0, **kwargs)


class Member(PublicIdModel):
    number = models.CharField(_("nomor peserta"), max_length=30, unique=True)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="members", verbose_name=_("penyelenggara")
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="members", verbose_name=_("skema")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="askesos_memberships",
        verbose_name=_("peserta"),
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keluarga"),
    )
    # The member's village when enrolled: the Dinas's staff see members of their area.
    area_code = models.CharField(_("desa/kelurahan"), max_length=13, db_index=True)
    enrolled_on = models.DateField(_("tanggal menjadi peserta"))
    enrolled_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("didaftarkan oleh"),
    )
    occupation = models.CharField(_("pekerjaan"), max_length=150)
    work_status = models.PositiveSmallIntegerField(
        _("status pekerjaan"), choices=WorkStatus.choices, null=True, blank=True
    )
    monthly_income = _rupiah(_("penghasilan per bulan (Rp)"))
    breadwinner = models.BooleanField(_("pencari nafkah utama"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    status_on = models.DateField(_("tanggal status"))
    end_reason = models.CharField(
        _("alasan berakhir"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("keterangan berakhir"), max_length=300, blank=True)
    # The ledger's state (written by the ledger run and the payment actions).
    total_due = _rupiah(_("jumlah iuran jatuh tempo"), default=0)
    total_paid = _rupiah(_("jumlah iuran dibayar"), default=0)
    paid_through = models.DateField(_("iuran lunas sampai bulan"), null=True, blank=True)
    months_unpaid = models.PositiveSmallIntegerField(_("bulan menunggak"), default=0)
    lapse_on = models.DateField(
        _("gugur bila belum membayar setelah tanggal"), null=True, blank=True
    )
    # Dues run from this month (enrolment, or the month of reinstatement) through
    # ``dues_through``; ``covered_amount`` is the dues up to ``paid_through`` that payments
    # settled, so a run looks only at the months still open.
    dues_from = models.DateField(_("iuran dihitung mulai bulan"))
    dues_through = models.DateField(_("iuran dihitung sampai bulan"), null=True, blank=True)
    covered_amount = _rupiah(_("iuran yang sudah lunas"), default=0)
    unpaid_from = models.DateField(_("menunggak sejak bulan"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "total_due",
            "total_paid",
            "paid_through",
            "months_unpaid",
            "lapse_on",
            "dues_through",
            "covered_amount",
            "unpaid_from",
        ]
    )
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("peserta Askesos")
        verbose_name_plural = _("peserta Askesos")
        ordering = ["number"]
        constraints = [
            # A person is a member of one scheme at a time (a lapsed member may be reinstated).
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="berakhir"),
                name="askesos_one_membership_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status"], name="askesos_member_provider"),
        ]

    def __str__(self) -> str:
        return self.number

    def months_in_credit(self) -> int:
        """Whole months the credit pays ahead at the current premium (0 without terms)."""
        terms = self.scheme.terms_on(self.status_on) if self.scheme_id else None
        if not self.credit or terms is None or not terms.monthly_premium:
            return 0
        return self.credit // int(terms.monthly_premium)

    @property
    def arrears(self) -> int:
        return max(int(self.total_due) - int(self.total_paid), 0)

    @property
    def credit(self) -> int:
        return max(int(self.total_paid) - int(self.total_due), 0)


class CoverPeriod(models.Model):
    """A stretch in which the member was covered: from enrolment or reinstatement to a lapse or
    the end. Claims count waiting periods from ``waiting_from``."""

    membership = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="periods", verbose_name=_("peserta")
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"), null=True, blank=True)
    waiting_from = models.DateField(_("masa tunggu dihitung dari"))
    reinstated = models.BooleanField(_("pemulihan"), default=False)

    objects = MemberPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("masa kepesertaan")
        verbose_name_plural = _("masa kepesertaan")
        ordering = ["membership", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(end__isnull=True), name="askesos_one_open_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.start}–{self.end or ''}"


class PremiumDue(models.Model):
    """The premium that fell due for one month, at the amount in force that month."""

    membership = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="dues",
        verbose_name=_("peserta"),
        db_index=False,  # the (member, month) constraint's index serves it
    )
    month = models.DateField(_("bulan"))
    amount = models.DecimalField(_("iuran (Rp)"), max_digits=14, decimal_places=0)
    due_on = models.DateField(_("jatuh tempo"))

    objects = MemberPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("iuran bulanan")
        verbose_name_plural = _("iuran bulanan")
        ordering = ["membership", "month"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "month"], name="askesos_due_once")
        ]
        # A provider's book reads one month's dues of every member.
        indexes = [models.Index(fields=["month"], name="askesos_due_month")]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.month:%Y-%m}"


class PremiumImport(PublicIdModel):
    """One bulk payment file: rows read = accepted + already recorded + rejected."""

    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("penyelenggara"),
    )
    file_name = models.CharField(_("nama berkas"), max_length=200)
    status = models.CharField(_("status"), max_length=10, default="selesai")
    message = models.CharField(_("pesan"), max_length=500, blank=True)
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    accepted = models.PositiveIntegerField(_("diterima"), default=0)
    unchanged = models.PositiveIntegerField(_("sudah tercatat"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    amount = _rupiah(_("jumlah diterima (Rp)"), default=0)
    report = models.FileField(
        _("laporan baris ditolak"), upload_to="insurance/imports/", blank=True
    )
    started_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diimpor oleh"),
    )

    objects = PremiumImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor pembayaran iuran")
        verbose_name_plural = _("impor pembayaran iuran")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class PremiumPayment(PublicIdModel):
    """Money received for a member's premiums, with its receipt."""

    membership = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="payments", verbose_name=_("peserta")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name=_("penyelenggara")
    )
    area_code = models.CharField(_("desa/kelurahan"), max_length=13)
    amount = models.DecimalField(_("jumlah (Rp)"), max_digits=14, decimal_places=0)
    paid_on = models.DateField(_("tanggal bayar"))
    method = models.CharField(_("cara bayar"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("referensi"), max_length=60, blank=True)
    receipt_number = models.CharField(_("nomor kuitansi"), max_length=40, unique=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("dicatat oleh")
    )
    batch = models.ForeignKey(
        PremiumImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("dari impor"),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pembayaran iuran")
        verbose_name_plural = _("pembayaran iuran")
        ordering = ["-paid_on", "-id"]
        constraints = [
            # A bank transfer's or a receipt book's reference is recorded once per provider:
            # importing the same file twice changes nothing.
            models.UniqueConstraint(
                fields=["provider", "reference"],
                condition=~Q(reference=""),
                name="askesos_payment_reference_once",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "paid_on"], name="askesos_payment_provider"),
            models.Index(fields=["membership", "paid_on"], name="askesos_payment_member"),
        ]

    def __str__(self) -> str:
        return self.receipt_number
