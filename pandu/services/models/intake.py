"""Intake: a person's visit or request at the desk, its needs and the dashboard's tallies."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.fields import EncryptedCharField, EncryptedTextField
from pandu.core.models import PublicIdModel

from .. import choices as c
from ..queries import IntakeQuerySet
from ._common import USER
from .points import ServicePoint

# Crockford's base32: no I, L, O or U, so what is printed is what gets typed back.
CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_LENGTH = 4


def new_check_code() -> str:
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


class Intake(PublicIdModel):
    """A complaint, grievance or request received at a service point, with its ticket number."""

    ticket_number = models.CharField(_("nomor tiket"), max_length=30, unique=True)
    # The random end of the public reference: ticket numbers count up, so the number alone must
    # not open the public status page.
    check_code = models.CharField(
        _("kode cek tiket"), max_length=CHECK_LENGTH, default=new_check_code, editable=False
    )
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        related_name="intakes",
        verbose_name=_("titik layanan"),
    )
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=c.IntakeKind.choices)
    channel = models.CharField(_("saluran"), max_length=10, choices=c.Channel.choices)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penduduk terdaftar"),
    )
    # The person as told at the desk when not (yet) in the registry.
    name = models.CharField(_("nama"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    kk_number = models.CharField(_("nomor KK"), max_length=16, blank=True)
    sex = models.CharField(
        _("jenis kelamin"),
        max_length=1,
        choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))],
        blank=True,
    )
    birth_date = models.DateField(_("tanggal lahir"))
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon/WA"), max_length=40, blank=True)
    propose_to_registry = models.BooleanField(
        _("perlu diusulkan ke registri"),
        default=False,
        help_text=_("Orang ini belum terdaftar dan perlu diusulkan masuk registri."),
    )
    # Where a person to be proposed went: the draft proposal of their village's operator.
    registry_proposal = models.ForeignKey(
        "proposals.ProposalBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usulan ke registri"),
    )
    reporter_name = models.CharField(
        _("nama pelapor (bila bukan yang bersangkutan)"), max_length=150, blank=True
    )
    reporter_relationship = models.CharField(_("hubungan pelapor"), max_length=100, blank=True)
    description = EncryptedTextField(_("uraian keluhan/permohonan"))
    since = models.DateField(_("dialami sejak"), null=True, blank=True)
    urgency = models.CharField(
        _("tingkat urgensi"), max_length=10, choices=c.Urgency.choices, default=c.Urgency.NORMAL
    )
    sensitive_topic = models.CharField(
        _("menyangkut hal sensitif"),
        max_length=12,
        choices=c.SensitiveTopic.choices,
        default="",
        blank=True,
    )
    ppks_categories = models.ManyToManyField(
        "registry.PPKSCategory", blank=True, related_name="+", verbose_name=_("PPKS terkait")
    )
    sensitive = models.BooleanField(_("sensitif"), default=False, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=c.IntakeStatus.choices, default=c.IntakeStatus.NEW
    )
    queue_status = models.CharField(
        _("antrean"), max_length=10, choices=c.QueueStatus.choices, default=c.QueueStatus.WAITING
    )
    received_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("diterima oleh")
    )
    received_at = models.DateTimeField(_("diterima"))
    first_action_at = models.DateTimeField(_("tindakan pertama"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    resolution = EncryptedTextField(_("penyelesaian di loket"), blank=True)

    # The check part is set once and is no one's business in the change history.
    history = HistoricalRecords(excluded_fields=["updated_at", "check_code"])
    objects = IntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaduan/permohonan")
        verbose_name_plural = _("pengaduan/permohonan")
        indexes = [
            models.Index(fields=["area_code", "received_at"]),
            # Regency-wide figures for a period: the period is the selective part; channel and
            # status make the dashboard's counts index-only.
            models.Index(fields=["received_at", "area_code", "channel", "status"]),
            # Dashboard durations (first action, closure) without reading table rows.
            models.Index(
                fields=["received_at", "area_code", "first_action_at", "closed_at"],
                name="intake_durations",
            ),
            models.Index(fields=["service_point", "received_at"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return self.ticket_number

    @property
    def public_reference(self) -> str:
        """What the person is given (receipt, staff page) to check the status: the number and
        its check part, e.g. ``SLRT-7309-2026-000123-K7QF``."""
        return f"{self.ticket_number}-{self.check_code}"

    def age(self, when: date | None = None) -> int:
        from pandu.registry.validation import age_on

        return age_on(self.birth_date, when or date.today())

    def need_list(self) -> list[str]:
        return [n.area for n in self.needs.all()]


class IntakeNeed(models.Model):
    """One area of need named at intake (a person may have several)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(_("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices)
    detail = EncryptedCharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kebutuhan")
        verbose_name_plural = _("kebutuhan")
        constraints = [models.UniqueConstraint(fields=["intake", "area"], name="one_need_per_area")]
        indexes = [models.Index(fields=["area", "intake"])]

    def __str__(self) -> str:
        return self.get_area_display()


class IntakeTally(models.Model):
    """Intakes received in a month in a district, by channel and current status (``tallies``)."""

    month = models.DateField(_("bulan"))
    district_code = models.CharField(_("kode kecamatan"), max_length=13)
    channel = models.CharField(_("saluran"), max_length=10, choices=c.Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=c.IntakeStatus.choices)
    n = models.IntegerField(_("jumlah"), default=0)

    class Meta:
        verbose_name = _("rekap bulanan pengaduan")
        verbose_name_plural = _("rekap bulanan pengaduan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district_code", "channel", "status"], name="one_intake_tally"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_code} {self.channel} {self.status}: {self.n}"


class VillageTally(models.Model):
    """Intakes received in a month in one area (the village) (``tallies``)."""

    month = models.DateField(_("bulan"))
    area_code = models.CharField(_("kode wilayah"), max_length=13)
    n = models.IntegerField(_("jumlah"), default=0)

    class Meta:
        verbose_name = _("rekap bulanan per desa")
        verbose_name_plural = _("rekap bulanan per desa")
        constraints = [
            models.UniqueConstraint(fields=["month", "area_code"], name="one_village_tally")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area_code}: {self.n}"


class NeedTally(models.Model):
    """Needs named by intakes received in a month in a district (``tallies``)."""

    month = models.DateField(_("bulan"))
    district_code = models.CharField(_("kode kecamatan"), max_length=13)
    need = models.CharField(_("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices)
    n = models.IntegerField(_("jumlah"), default=0)

    class Meta:
        verbose_name = _("rekap bulanan kebutuhan")
        verbose_name_plural = _("rekap bulanan kebutuhan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district_code", "need"], name="one_need_tally"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_code} {self.need}: {self.n}"
