"""Empowerment after graduation (and for poor families generally): KUBE groups (Kelompok Usaha
Bersama: families running a business together, with a group grant) and UEP grants (Usaha
Ekonomi Produktif: one family's productive-economic grant).

A KUBE group is a record of this app, scoped by its village, holding its members (registry
people) and its grant; it is also a body in the one list of organisations (decision 0016), kept
in step by the group's actions, so that a grant to the group can be paid to a body.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.organisations.models import Organisation
from pandu.regions.models import Area
from pandu.registry.choices import WorkSector

from ..choices import GroupStatus, MemberRole
from ..queries import GrantQuerySet, GroupQuerySet, MemberQuerySet

USER = settings.AUTH_USER_MODEL


class KubeGroup(PublicIdModel):
    name = models.CharField(_("nama kelompok"), max_length=150)
    village = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    business_type = models.CharField(_("jenis usaha"), max_length=200)
    sector = models.PositiveSmallIntegerField(
        _("lapangan usaha"), choices=WorkSector.choices, null=True, blank=True
    )
    formed_on = models.DateField(_("tanggal dibentuk"))
    status = models.CharField(
        _("status"), max_length=8, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="kube_group",
        verbose_name=_("lembaga"),
    )
    grant_amount = models.DecimalField(
        _("hibah diterima (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    grant_received_on = models.DateField(_("tanggal hibah diterima"), null=True, blank=True)
    grant_note = models.CharField(_("keterangan hibah"), max_length=300, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("kelompok KUBE")
        verbose_name_plural = _("kelompok KUBE")
        ordering = ["village", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="kube_name_once_per_village")
        ]

    def __str__(self) -> str:
        return self.name


class KubeMember(PublicIdModel):
    """A registry person in a KUBE group, with the business they run in it."""

    group = models.ForeignKey(
        KubeGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("kelompok")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("anggota")
    )
    plan = models.ForeignKey(
        "empowerment.GraduationPlan",
        on_delete=models.PROTECT,
        related_name="kube_members",
        null=True,
        blank=True,
        verbose_name=_("dari rencana graduasi"),
    )
    role = models.CharField(
        _("jabatan"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    business = models.CharField(_("usaha anggota"), max_length=200, blank=True)
    joined_on = models.DateField(_("bergabung"))
    left_on = models.DateField(_("keluar"), null=True, blank=True)
    left_reason = models.CharField(_("alasan keluar"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("anggota KUBE")
        verbose_name_plural = _("anggota KUBE")
        ordering = ["group", "left_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(left_on__isnull=True),
                name="kube_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.person_id}"


class UepGrant(PublicIdModel):
    """A family's productive-economic grant (UEP): how much, when, for which business."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("keluarga")
    )
    recipient = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("penerima"),
    )
    plan = models.ForeignKey(
        "empowerment.GraduationPlan",
        on_delete=models.PROTECT,
        related_name="uep_grants",
        null=True,
        blank=True,
        verbose_name=_("dari rencana graduasi"),
    )
    area_code = models.CharField(_("desa/kelurahan"), max_length=13, db_index=True)
    amount = models.DecimalField(_("nilai hibah (Rp)"), max_digits=14, decimal_places=0)
    granted_on = models.DateField(_("tanggal diterima"))
    business = models.CharField(_("usaha"), max_length=200)
    sector = models.PositiveSmallIntegerField(
        _("lapangan usaha"), choices=WorkSector.choices, null=True, blank=True
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("hibah UEP")
        verbose_name_plural = _("hibah UEP")
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.amount}"
