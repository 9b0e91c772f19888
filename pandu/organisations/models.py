"""Lembaga: one list of the bodies that run, fund or receive social-welfare work.

A government unit, a ministry's technical unit (BBPPKS), an association (IPSI), a college
(STIKS), a research body (LAN), an LKS, a business giving CSR funds: each is one Organisation.
The service's partner agencies and the registry's PSKS institutions point to theirs one-to-one
(decision 0013), and programmes name them as owners, implementers and funders, so one body is
written once whatever it does.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.core.versions import VersionedModel
from pandu.regions.models import Area


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "pemerintah", _("Instansi pemerintah / perangkat daerah")
    MINISTRY_UNIT = "upt", _("Unit pelaksana teknis kementerian (mis. BBPPKS)")
    ASSOCIATION = "asosiasi", _("Asosiasi profesi / perkumpulan (mis. IPSI)")
    COLLEGE = "perguruan_tinggi", _("Perguruan tinggi (mis. STIKS)")
    RESEARCH = "litbang", _("Lembaga kajian / penelitian (mis. LAN)")
    LKS = "lks", _("Lembaga Kesejahteraan Sosial (LKS) / LSM")
    COMMUNITY = "masyarakat", _("Organisasi kemasyarakatan (PKK, Karang Taruna, ...)")
    BUSINESS = "usaha", _("Dunia usaha / CSR")
    OTHER = "lainnya", _("Lainnya")


class OrganisationQuerySet(models.QuerySet):
    """Organisations are a public list of bodies, not personal data: read by every signed-in
    user, written only by the actions of the apps that keep them."""

    def active(self):
        return self.filter(active=True)


class Organisation(VersionedModel, PublicIdModel):
    """A body that runs, funds or receives work: a Dinas, BBPPKS, IPSI, STIKS, LAN, an LKS."""

    name = models.CharField(_("nama lembaga"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis lembaga"), max_length=20, choices=OrganisationKind.choices)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("wilayah kedudukan"),
        help_text=_("Kosong untuk lembaga tingkat nasional (mis. Kementerian Sosial)."),
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "area"])]

    def __str__(self) -> str:
        return self.short_name or self.name
