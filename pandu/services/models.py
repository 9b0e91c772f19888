"""One-stop service (SLRT/Puskesos): service points and partners with their agreements, intake of
complaints and requests, case management with family counselling (K3), and referrals to partners.

Writes go through ``actions.py``; reads through the ``visible_to(user)`` querysets of
``queries.py``.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.regions.models import Area

from . import choices as c
from .queries import (
    AgreementQuerySet,
    CaseQuerySet,
    IntakeQuerySet,
    PartnerQuerySet,
    ReferralQuerySet,
    ServicePointQuerySet,
)

USER = settings.AUTH_USER_MODEL


# --- Service points and partners --------------------------------------------------------------


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


# --- Intake -----------------------------------------------------------------------------------


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
    reporter_name = models.CharField(
        _("nama pelapor (bila bukan yang bersangkutan)"), max_length=150, blank=True
    )
    reporter_relationship = models.CharField(_("hubungan pelapor"), max_length=100, blank=True)
    description = models.TextField(_("uraian keluhan/permohonan"))
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
    resolution = models.TextField(_("penyelesaian di loket"), blank=True)

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
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)

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


# --- Cases ------------------------------------------------------------------------------------


class Case(PublicIdModel):
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
    assigned_to = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("petugas penanganan"),
    )
    assigned_at = models.DateTimeField(_("ditugaskan"), null=True, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    plan_summary = models.TextField(_("ringkasan rencana"), blank=True)
    plan_status = models.CharField(
        _("status rencana"), max_length=10, choices=c.PlanStatus.choices, default=c.PlanStatus.DRAFT
    )
    plan_decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_decided_at = models.DateTimeField(_("rencana diputuskan"), null=True, blank=True)
    plan_comment = models.TextField(_("catatan supervisor atas rencana"), blank=True)
    outcome = models.CharField(
        _("hasil penanganan"), max_length=15, choices=c.Outcome.choices, blank=True
    )
    closure_summary = models.TextField(_("ringkasan penutupan"), blank=True)
    closure_requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
        ]

    def __str__(self) -> str:
        return self.intake.ticket_number

    @property
    def number(self) -> str:
        return self.intake.ticket_number


class Assessment(models.Model):
    """The structured assessment of one need area of a case; saved as a draft until final."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    area = models.CharField(_("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices)
    data = models.JSONField(_("isian"), default=dict, blank=True)
    final = models.BooleanField(_("final"), default=False)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(_("tujuan"), max_length=300)
    need_area = models.CharField(
        _("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices, blank=True
    )
    achieved = models.BooleanField(_("tercapai"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tujuan rencana")
        verbose_name_plural = _("tujuan rencana")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class PlanAction(models.Model):
    """A step towards a goal: who does what, by when."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("kegiatan"), max_length=300)
    responsible = models.CharField(_("penanggung jawab"), max_length=150, blank=True)
    due_on = models.DateField(_("target tanggal"), null=True, blank=True)
    done = models.BooleanField(_("selesai"), default=False)

    history = HistoricalRecords()

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
    text = models.TextField(_("catatan"))

    class Meta:
        verbose_name = _("catatan kasus")
        verbose_name_plural = _("catatan kasus")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


class Task(PublicIdModel):
    """A follow-up with a due date, for the assigned worker unless said otherwise."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("tindak lanjut"), max_length=300)
    assigned_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="service_tasks", verbose_name=_("petugas")
    )
    due_on = models.DateField(_("batas waktu"))
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assigned_to", "done_at", "due_on"]),
            models.Index(fields=["done_at", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_on < date.today()


class CounsellingSession(PublicIdModel):
    """Konsultasi Kesejahteraan Keluarga (K3): one family counselling session."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="counselling")
    held_on = models.DateField(_("tanggal sesi"), db_index=True)
    counsellor = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("konselor")
    )
    participants = models.TextField(_("peserta"))
    issues = models.TextField(_("masalah yang dibahas"))
    agreed_steps = models.TextField(_("langkah yang disepakati"), blank=True)
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
    detail = models.TextField(_("keterangan"), blank=True)

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


# --- Referrals --------------------------------------------------------------------------------


class Referral(PublicIdModel):
    """A referral letter from a case to a partner's service, sent only with the person's consent.

    What the partner sees is the snapshot taken when it is sent (name, age, need, what is asked,
    and the NIK only if the consent allows), never the registry record.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(
        PartnerService,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("layanan"),
    )
    agency = models.ForeignKey(
        PartnerAgency, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("mitra")
    )
    area_code = models.CharField(max_length=13, db_index=True)
    number = models.CharField(_("nomor surat"), max_length=30, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.ReferralStatus.choices,
        default=c.ReferralStatus.DRAFT,
        db_index=True,
    )
    need_area = models.CharField(_("bidang kebutuhan"), max_length=20, choices=c.NeedArea.choices)
    need = models.TextField(_("kebutuhan"))
    done_so_far = models.TextField(_("yang sudah dilakukan"), blank=True)
    request = models.TextField(_("yang diminta dari mitra"))
    # Consent (persetujuan) of the person or, for a child, the guardian.
    consent_given = models.BooleanField(_("persetujuan diberikan"), default=False)
    consent_by = models.CharField(
        _("persetujuan dari"), max_length=10, choices=c.ConsentBy.choices, blank=True
    )
    guardian_name = models.CharField(_("nama orang tua/wali"), max_length=150, blank=True)
    guardian_relationship = models.CharField(_("hubungan wali"), max_length=100, blank=True)
    consent_method = models.CharField(
        _("cara persetujuan"), max_length=12, choices=c.ConsentMethod.choices, blank=True
    )
    consent_share_nik = models.BooleanField(_("NIK boleh dibagikan ke mitra"), default=False)
    consent_note = models.CharField(_("catatan persetujuan"), max_length=300, blank=True)
    consent_recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    # Snapshot shared with the partner when sent.
    subject_name = models.CharField(_("nama"), max_length=150, blank=True)
    subject_age = models.PositiveSmallIntegerField(_("usia"), null=True, blank=True)
    subject_sex = models.CharField(
        _("jenis kelamin"),
        max_length=1,
        choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))],
        blank=True,
    )
    subject_nik = models.CharField(_("NIK"), max_length=16, blank=True)
    subject_phone = models.CharField(_("telepon"), max_length=40, blank=True)
    # Lifecycle.
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    sent_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("diterima mitra"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    responded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("mulai dilayani"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    respond_due = models.DateField(_("batas tanggapan"), null=True, blank=True)
    complete_due = models.DateField(_("batas penyelesaian"), null=True, blank=True)
    decline_reason = models.TextField(_("alasan penolakan"), blank=True)
    result = models.TextField(_("hasil layanan"), blank=True)
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    withdraw_reason = models.TextField(_("alasan ditarik"), blank=True)
    partner_note = models.TextField(_("catatan terakhir mitra"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["area_code", "sent_at"]),
            # Dashboard partner figures for a period, read from the index alone.
            models.Index(
                fields=["sent_at", "area_code", "agency", "status", "finished_at"],
                name="referral_outcomes",
            ),
            models.Index(fields=["status", "respond_due"]),
            models.Index(fields=["status", "complete_due"]),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Rujukan (draf)"))

    @property
    def is_open(self) -> bool:
        return self.status in c.OPEN_REFERRAL

    def overdue_on(self, when: date | None = None) -> bool:
        when = when or date.today()
        if self.status in c.AWAITING_RESPONSE and self.respond_due:
            return when > self.respond_due
        if self.status in c.IN_PROGRESS and self.complete_due:
            return when > self.complete_due
        return False

    @property
    def overdue(self) -> bool:
        return self.overdue_on()

    @property
    def due(self) -> date | None:
        if self.status in c.AWAITING_RESPONSE:
            return self.respond_due
        if self.status in c.IN_PROGRESS:
            return self.complete_due
        return None


def referral_attachment_upload_to(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"services/referrals/{instance.uid}.{ext}"


class ReferralAttachment(PublicIdModel):
    """A document sent with a referral (assessment summary, medical note, ...)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=referral_attachment_upload_to)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lampiran rujukan")
        verbose_name_plural = _("lampiran rujukan")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """An in-app message for one user (overdue digests, referral answers)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="service_notifications")
    kind = models.CharField(_("jenis"), max_length=30)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    # Makes a repeated job harmless: one notification per user and key (e.g. a day's digest).
    key = models.CharField(max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
