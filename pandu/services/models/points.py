"""Service points, partner agencies and their agreements, holidays, number counters."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.organisations.models import Organisation
from pandu.regions.models import Area

from .. import choices as c
from ..queries import (
    AgreementQuerySet,
    PartnerQuerySet,
    PartnerServiceQuerySet,
    ServicePointQuerySet,
)
from ._common import USER


class ServicePoint(PublicIdModel):
    """A place people come to: the SLRT secretariat at the regency's Dinas Sosial, or a Puskesos."""

    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=10, choices=c.PointKind.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    opening_hours = models.CharField(
        _("jam layanan"),
        max_length=200,
        blank=True,
        help_text=_("Contoh: Senin–Kamis 08.00–15.00, Jumat 08.00–11.00"),
    )
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ServicePointQuerySet.as_manager()

    class Meta:
        verbose_name = _("titik layanan")
        verbose_name_plural = _("titik layanan")
        ordering = ["area_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.area_id

    @property
    def regency_code(self) -> str:
        return self.area_id[:5]


class ServicePointStaff(models.Model):
    """A user working at a service point in one SLRT role; supervisors supervise the others."""

    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("titik layanan"),
    )
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="service_posts", verbose_name=_("pengguna")
    )
    role = models.CharField(_("peran di titik layanan"), max_length=20, choices=c.StaffRole.choices)
    started_on = models.DateField(_("mulai"), default=date.today)
    ended_on = models.DateField(_("selesai"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("petugas titik layanan")
        verbose_name_plural = _("petugas titik layanan")
        constraints = [
            models.UniqueConstraint(
                fields=["service_point", "user", "role"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_post_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class PartnerAgency(PublicIdModel):
    """An agency that takes referrals: Dinas Kesehatan, Dukcapil, Polres, an LKS, ..."""

    name = models.CharField(_("nama instansi/lembaga"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=c.AgencyKind.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah kedudukan")
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    contact_person = models.CharField(_("narahubung"), max_length=150, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    # The body in the one list of organisations (decision 0013), kept in step by the actions.
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_agency",
        verbose_name=_("lembaga"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerService(PublicIdModel):
    """One service a partner offers, the needs it answers, where, and its service level."""

    agency = models.ForeignKey(
        PartnerAgency, on_delete=models.PROTECT, related_name="services", verbose_name=_("mitra")
    )
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    need_areas = models.JSONField(_("bidang kebutuhan"), default=list, blank=True)
    areas_served = models.ManyToManyField(
        Area, related_name="+", blank=True, verbose_name=_("wilayah layanan")
    )
    respond_days = models.PositiveSmallIntegerField(
        _("batas tanggapan (hari kerja)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    complete_days = models.PositiveSmallIntegerField(
        _("batas penyelesaian (hari kerja)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PartnerServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("layanan mitra")
        verbose_name_plural = _("layanan mitra")
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.agency.name}: {self.name}"

    def need_labels(self) -> list[str]:
        labels = dict(c.NeedArea.choices)
        return [str(labels.get(n, n)) for n in self.need_areas]

    def serves(self, code: str) -> bool:
        """Whether the service reaches area ``code`` (no list means the agency's whole area)."""
        codes = [a.code for a in self.areas_served.all()]
        if not codes:
            return code.startswith(self.agency.area_id)
        return any(code.startswith(a) for a in codes)


class PartnerMembership(models.Model):
    """Links a user of role *partner* to the one agency whose inbox they work."""

    user = models.OneToOneField(
        USER,
        on_delete=models.PROTECT,
        related_name="partner_membership",
        verbose_name=_("pengguna"),
    )
    agency = models.ForeignKey(
        PartnerAgency, on_delete=models.PROTECT, related_name="members", verbose_name=_("mitra")
    )
    position = models.CharField(_("jabatan"), max_length=100, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anggota mitra")
        verbose_name_plural = _("anggota mitra")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"


def agreement_upload_to(instance, filename: str) -> str:
    return f"services/agreements/{instance.uid}.pdf"


class Agreement(PublicIdModel):
    """A cooperation agreement (perjanjian kerja sama): 5 years by default, extendable, ended
    early only after written notice of at least 30 calendar days."""

    number = models.CharField(_("nomor perjanjian"), max_length=100)
    title = models.CharField(_("judul"), max_length=300)
    agency = models.ForeignKey(
        PartnerAgency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("mitra"),
    )
    parties = models.TextField(
        _("para pihak"), help_text=_("Satu pihak per baris, mis. Dinas Sosial Kabupaten Maros.")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    signed_on = models.DateField(_("tanggal penandatanganan"))
    starts_on = models.DateField(_("mulai berlaku"))
    term_years = models.PositiveSmallIntegerField(
        _("jangka waktu (tahun)"), default=5, validators=[MinValueValidator(1)]
    )
    ends_on = models.DateField(_("berakhir"))
    document = models.FileField(
        _("dokumen perjanjian (PDF)"), upload_to=agreement_upload_to, blank=True
    )
    notice_on = models.DateField(_("tanggal pemberitahuan tertulis"), null=True, blank=True)
    notice_reference = models.CharField(_("nomor surat pemberitahuan"), max_length=100, blank=True)
    terminated_on = models.DateField(_("tanggal pengakhiran"), null=True, blank=True)
    termination_reason = models.TextField(_("alasan pengakhiran"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("perjanjian kerja sama")
        verbose_name_plural = _("perjanjian kerja sama")
        ordering = ["ends_on"]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"

    @property
    def area_code(self) -> str:
        return self.area_id

    def status_on(self, when: date | None = None) -> str:
        when = when or date.today()
        if self.terminated_on is not None:
            return (
                c.AgreementStatus.TERMINATED
                if self.terminated_on <= when
                else c.AgreementStatus.TERMINATING
            )
        if when < self.starts_on:
            return c.AgreementStatus.PENDING
        if when > self.ends_on:
            return c.AgreementStatus.EXPIRED
        return c.AgreementStatus.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(c.AgreementStatus(self.status).label)

    @property
    def effective_end(self) -> date:
        return self.terminated_on or self.ends_on

    def days_left(self, when: date | None = None) -> int:
        return (self.effective_end - (when or date.today())).days


class AgreementExtension(models.Model):
    """An addendum that extends an agreement's term."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("perjanjian")
    )
    signed_on = models.DateField(_("tanggal addendum"))
    reference = models.CharField(_("nomor addendum"), max_length=100, blank=True)
    previous_end = models.DateField(_("berakhir semula"))
    new_end = models.DateField(_("berakhir menjadi"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perpanjangan perjanjian")
        verbose_name_plural = _("perpanjangan perjanjian")
        ordering = ["signed_on", "id"]

    def __str__(self) -> str:
        return f"{self.previous_end} → {self.new_end}"


class Holiday(models.Model):
    """A national holiday or collective leave day: not a working day for service-level clocks."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=150)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class Counter(models.Model):
    """Sequence numbers per kind, regency and year (tickets, referral letters)."""

    kind = models.CharField(max_length=10)
    regency = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "regency", "year"], name="one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.kind}-{self.regency}-{self.year}: {self.last}"
