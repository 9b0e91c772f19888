"""Aid-use monitoring: a TKSK's or facilitator's visit to a KPM, recording what the aid was used
for and what went wrong with the programme, the KKS card, its PIN or the e-warong."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel

from ..choices import PROBLEMS, USES
from ..queries import VisitQuerySet

USER = settings.AUTH_USER_MODEL


class UseVisit(PublicIdModel):
    """One visit to one KPM on one day. The uses and the problems are columns of their own, so
    the summaries count them in the database."""

    enrolment = models.ForeignKey(
        "programs.Enrolment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("KPM"),
    )
    area_code = models.CharField(_("desa/kelurahan"), max_length=13, db_index=True)
    visited_on = models.DateField(_("tanggal kunjungan"))
    visitor = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengunjung")
    )
    aid_received = models.BooleanField(_("bantuan periode terakhir sudah diterima"), default=True)
    use_food = models.BooleanField(_("pangan"), default=False)
    use_school = models.BooleanField(_("sekolah anak"), default=False)
    use_health = models.BooleanField(_("kesehatan"), default=False)
    use_business = models.BooleanField(_("modal usaha"), default=False)
    use_debt = models.BooleanField(_("membayar utang"), default=False)
    use_other = models.BooleanField(_("lainnya"), default=False)
    use_note = models.CharField(_("keterangan penggunaan"), max_length=500, blank=True)
    problem_programme = models.BooleanField(_("masalah dengan program"), default=False)
    problem_programme_note = models.CharField(
        _("catatan masalah program"), max_length=500, blank=True
    )
    problem_card = models.BooleanField(_("masalah kartu KKS"), default=False)
    problem_card_note = models.CharField(_("catatan masalah kartu"), max_length=500, blank=True)
    problem_pin = models.BooleanField(_("masalah PIN"), default=False)
    problem_pin_note = models.CharField(_("catatan masalah PIN"), max_length=500, blank=True)
    problem_ewarong = models.BooleanField(_("masalah e-warong"), default=False)
    problem_ewarong_note = models.CharField(
        _("catatan masalah e-warong"), max_length=500, blank=True
    )
    follow_up_needed = models.BooleanField(_("perlu tindak lanjut"), default=False)
    follow_up_note = models.CharField(_("tindak lanjut"), max_length=500, blank=True)
    note = models.TextField(_("catatan kunjungan"), blank=True)
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

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("kunjungan pemantauan bantuan")
        verbose_name_plural = _("kunjungan pemantauan bantuan")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "visitor", "visited_on"], name="one_visit_per_visitor_day"
            )
        ]
        indexes = [models.Index(fields=["area_code", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.visited_on}"

    @property
    def uses(self) -> list[str]:
        return [str(label) for name, label in USES if getattr(self, name)]

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [
            (str(label), getattr(self, note))
            for flag, note, label in PROBLEMS
            if getattr(self, flag)
        ]
