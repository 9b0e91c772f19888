"""KPM (keluarga penerima manfaat): a family enrolled in a programme, from candidate to exit.

A committed targeting run gives a programme's *candidates* in its area; the TKSK visits each
one (found, not found, moved, died); the Dinas approves, then the head approves with the decree
(number and date), which makes the family an *active* KPM. A KPM may be suspended, graduate or
exit; each change has its date and reason, kept in the history. A *quota* caps how many KPM a
programme may have in an area (any level).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.core.querysets import ScopedQuerySet
from pandu.regions.models import Area

from ..capabilities import PCap
from .catalogue import Programme

USER = settings.AUTH_USER_MODEL


class EnrolmentStatus(models.TextChoices):
    CANDIDATE = "calon", _("Calon")
    ACTIVE = "aktif", _("Aktif")
    SUSPENDED = "ditangguhkan", _("Ditangguhkan")
    GRADUATED = "graduasi", _("Graduasi")
    EXITED = "keluar", pgettext_lazy("status KPM", "Keluar")


#: An enrolment that still holds the family's place in the programme.
OPEN_STATUSES = (EnrolmentStatus.CANDIDATE, EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)


class ApprovalStep(models.TextChoices):
    AWAITING_VISIT = "menunggu_verifikasi", _("Menunggu verifikasi lapangan")
    VERIFIED = "terverifikasi", _("Terverifikasi, menunggu persetujuan Dinas")
    DINAS = "disetujui_dinas", _("Disetujui Dinas, menunggu penetapan Kepala")
    DECREED = "ditetapkan", _("Ditetapkan dengan SK")
    REJECTED = "ditolak", _("Ditolak")


class VisitResult(models.TextChoices):
    FOUND = "ditemukan", _("Ditemukan")
    NOT_FOUND = "tidak_ditemukan", _("Tidak ditemukan")
    MOVED = "pindah", _("Pindah")
    DIED = "meninggal", _("Meninggal")


class EnrolmentQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {
        "view": PCap.ENROLMENT_VIEW,
        "verify": PCap.ENROLMENT_VERIFY,
        "manage": PCap.ENROLMENT_MANAGE,
        "decree": PCap.ENROLMENT_DECREE,
    }

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class AreaRecordQuerySet(ScopedQuerySet):
    """Quotas and decrees: set for an area, read by users inside it as well."""

    area_field = "area"
    seen_from_inside = True
    caps = {
        "view": PCap.ENROLMENT_VIEW,
        "manage": PCap.ENROLMENT_MANAGE,
        "decree": PCap.ENROLMENT_DECREE,
    }


class EnrolmentQuota(models.Model):
    """How many KPM a programme may have in an area (a regency, a district or a village)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("program")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    quota = models.PositiveIntegerField(_("kuota (keluarga)"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AreaRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("kuota KPM")
        verbose_name_plural = _("kuota KPM")
        ordering = ["programme", "area"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "area"], name="one_quota_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.area_id}: {self.quota}"


class EnrolmentDecree(PublicIdModel):
    """The head's decree (surat keputusan) that makes a list of candidates KPM."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="decrees", verbose_name=_("program")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    number = models.CharField(_("nomor SK"), max_length=100)
    decreed_on = models.DateField(_("tanggal SK"))
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("ditetapkan oleh")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AreaRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("SK penetapan KPM")
        verbose_name_plural = _("SK penetapan KPM")
        ordering = ["-decreed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="decree_number_once")
        ]

    def __str__(self) -> str:
        return self.number


class Enrolment(PublicIdModel):
    """One family in one programme: a candidate, then a KPM (active, suspended, graduated,
    exited). ``recipient`` is the member who receives the benefit (the head of the family when
    the list is made); a recipient who died or moved away cannot be enrolled."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("program")
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("keluarga"),
    )
    recipient = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("penerima manfaat"),
    )
    run = models.ForeignKey(
        "targeting.TargetingRun",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("hasil penetapan sasaran"),
    )
    area_code = models.CharField(_("desa/kelurahan"), max_length=13, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EnrolmentStatus.choices, default="calon"
    )
    step = models.CharField(
        _("tahap persetujuan"),
        max_length=20,
        choices=ApprovalStep.choices,
        default="menunggu_verifikasi",
    )
    status_since = models.DateField(_("status sejak"))
    status_reason = models.CharField(_("alasan status"), max_length=500, blank=True)
    # The field visit (as on a proposal's verification page).
    visit_result = models.CharField(
        _("hasil kunjungan"), max_length=16, choices=VisitResult.choices, blank=True
    )
    visit_note = models.TextField(_("catatan kunjungan"), blank=True)
    visit_photo = models.FileField(
        _("foto kunjungan"), upload_to="kpm/kunjungan/%Y/%m/", max_length=200, blank=True
    )
    visit_latitude = models.DecimalField(
        _("lintang kunjungan"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    visit_longitude = models.DecimalField(
        _("bujur kunjungan"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    visit_accuracy = models.DecimalField(
        _("akurasi lokasi (m)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    visit_located_at = models.DateTimeField(_("waktu lokasi diambil"), null=True, blank=True)
    verified_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("diverifikasi oleh"),
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    dinas_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("disetujui Dinas oleh"),
    )
    dinas_at = models.DateTimeField(_("disetujui Dinas"), null=True, blank=True)
    decree = models.ForeignKey(
        EnrolmentDecree,
        on_delete=models.PROTECT,
        related_name="enrolments",
        null=True,
        blank=True,
        verbose_name=_("SK penetapan"),
    )
    enrolled_on = models.DateField(_("menjadi KPM sejak"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPM")
        verbose_name_plural = _("KPM")
        ordering = ["programme", "area_code", "id"]
        constraints = [
            # One place per family per programme: a candidate, an active or a suspended KPM.
            models.UniqueConstraint(
                fields=["programme", "household"],
                condition=Q(status__in=["calon", "aktif", "ditangguhkan"]),
                name="one_open_enrolment_per_household",
            )
        ]
        indexes = [models.Index(fields=["programme", "status", "area_code"])]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.household_id}"
