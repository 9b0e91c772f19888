"""A provider's Askesos scheme and the versions of its rules: premium, benefits, waiting and
grace periods, lapse and reinstatement, claim review and who may join.

Rules are never edited in place: a change is a new ``SchemeTerms`` row valid from its start
date, so a premium due, a claim or an enrolment is always judged by the terms in force on its
own date, and every earlier version stays readable. The defaults are seed 001's.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel

from ..queries import SchemePartQuerySet, SchemeQuerySet
from .providers import Provider

USER = settings.AUTH_USER_MODEL


def _rupiah(label, **kwargs):
    return models.DecimalField(label, max_digits=14, decimal_places=0, **kwargs)


class Scheme(PublicIdModel):
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("penyelenggara")
    )
    name = models.CharField(_("nama skema"), max_length=150)
    active = models.BooleanField(_("menerima peserta baru"), default=True)
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("skema Askesos")
        verbose_name_plural = _("skema Askesos")
        ordering = ["provider", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="scheme_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    def terms_on(self, day: date) -> SchemeTerms | None:
        """The rules in force on ``day``: the latest version that started on or before it."""
        return (
            self.terms.filter(valid_from__lte=day, withdrawn=False).order_by("-valid_from").first()
        )


class SchemeTerms(models.Model):
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="terms", verbose_name=_("skema")
    )
    valid_from = models.DateField(_("berlaku mulai"))
    monthly_premium = _rupiah(_("iuran per bulan (Rp)"))
    benefit_illness = _rupiah(_("santunan sakit (Rp)"), default=0)
    benefit_accident = _rupiah(_("santunan kecelakaan (Rp)"), default=0)
    benefit_death = _rupiah(_("santunan meninggal dunia (Rp)"), default=0)
    waiting_days_illness = models.PositiveSmallIntegerField(_("masa tunggu sakit (hari)"))
    waiting_days_accident = models.PositiveSmallIntegerField(_("masa tunggu kecelakaan (hari)"))
    waiting_days_death = models.PositiveSmallIntegerField(_("masa tunggu meninggal (hari)"))
    illness_claims_per_year = models.PositiveSmallIntegerField(
        _("klaim sakit per tahun"), default=2, help_text=_("0: tanpa batas.")
    )
    due_day = models.PositiveSmallIntegerField(
        _("tanggal jatuh tempo iuran"),
        default=10,
        validators=[MaxValueValidator(28)],
        help_text=_("Iuran bulan berjalan jatuh tempo pada tanggal ini."),
    )
    grace_days = models.PositiveSmallIntegerField(_("masa tenggang (hari)"))
    lapse_after_months = models.PositiveSmallIntegerField(
        _("gugur setelah menunggak (bulan)"), validators=[MaxValueValidator(24)]
    )
    reinstate_within_months = models.PositiveSmallIntegerField(
        _("pemulihan paling lambat (bulan setelah gugur)"), validators=[MaxValueValidator(60)]
    )
    reinstate_waiting_days = models.PositiveSmallIntegerField(
        _("masa tunggu setelah pemulihan (hari)")
    )
    review_above = _rupiah(_("klaim di atas nilai ini selalu ditinjau (Rp)"), null=True, blank=True)
    review_share = models.PositiveSmallIntegerField(
        _("klaim lain yang ditinjau acak (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    # Who may join (seed 001): a breadwinner in informal work, income around Rp300,000 a month,
    # aged 21-60 or married, with a formal ID.
    min_age = models.PositiveSmallIntegerField(_("usia terendah"), default=21)
    max_age = models.PositiveSmallIntegerField(_("usia tertinggi"), default=60)
    married_waives_min_age = models.BooleanField(
        _("sudah menikah boleh di bawah usia terendah"), default=True
    )
    max_income = _rupiah(
        _("penghasilan paling tinggi per bulan (Rp)"), null=True, blank=True, default=450_000
    )
    informal_only = models.BooleanField(_("hanya pekerja informal/usaha sendiri"), default=True)
    breadwinner_only = models.BooleanField(_("hanya pencari nafkah utama"), default=True)
    id_required = models.BooleanField(_("wajib memiliki KTP-el"), default=True)
    withdrawn = models.BooleanField(_("dibatalkan sebelum berlaku"), default=False)
    note = models.CharField(_("dasar perubahan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()
    objects = SchemePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("ketentuan skema")
        verbose_name_plural = _("ketentuan skema")
        ordering = ["scheme", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "valid_from"],
                condition=Q(withdrawn=False),
                name="scheme_terms_once_per_day",
            ),
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")), name="scheme_ages_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.valid_from}"

    def benefit(self, event: str) -> int:
        return int(getattr(self, f"benefit_{_EVENT_FIELD[event]}"))

    def waiting_days(self, event: str) -> int:
        return int(getattr(self, f"waiting_days_{_EVENT_FIELD[event]}"))


#: The rules a version of the terms sets, in the order forms, pages and the API show them.
RULE_FIELDS = (
    "monthly_premium",
    "benefit_illness",
    "benefit_accident",
    "benefit_death",
    "waiting_days_illness",
    "waiting_days_accident",
    "waiting_days_death",
    "illness_claims_per_year",
    "due_day",
    "grace_days",
    "lapse_after_months",
    "reinstate_within_months",
    "reinstate_waiting_days",
    "review_above",
    "review_share",
    "min_age",
    "max_age",
    "married_waives_min_age",
    "max_income",
    "informal_only",
    "breadwinner_only",
    "id_required",
)

_EVENT_FIELD = {"sakit": "illness", "kecelakaan": "accident", "meninggal": "death"}
