"""Usulan → verifikasi & validasi → penetapan: how the registry is updated after a village meeting.

A *batch* (usulan) is what one village meeting (musyawarah desa) decided, with its minutes (berita
acara). Each *item* is one change to the registry. The TKSK verifies items after a home visit, the
Dinas Sosial administrator approves or rejects them; only an approved item touches the registry,
through ``pandu.registry.actions``. A household moving to another regency is *handed over*.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.models import PublicIdModel
from pandu.regions.models import Area
from pandu.registry.models import Household, Person

from .queries import BatchQuerySet, HandoverQuerySet, ItemQuerySet


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFIED = "verified", _("Sudah diverifikasi")
    DECIDED = "decided", _("Sudah ditetapkan")


class ItemKind(models.TextChoices):
    HOUSEHOLD_NEW = "household_new", _("Keluarga baru")
    MEMBER_NEW = "member_new", _("Anggota keluarga baru")
    PERSON_CHANGE = "person_change", _("Perubahan data penduduk")
    HOUSEHOLD_CHANGE = "household_change", _("Perubahan data keluarga")
    PPKS = "ppks", _("Pencatatan PPKS")
    MOVE = "move", _("Pindah wilayah")
    DEATH = "death", _("Kematian")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Sudah diverifikasi")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    APPLIED = "applied", _("Sudah masuk registri")


OPEN_STATUSES = (ItemStatus.PENDING, ItemStatus.VERIFIED, ItemStatus.APPROVED)
DECIDED_STATUSES = (ItemStatus.APPROVED, ItemStatus.REJECTED, ItemStatus.APPLIED)


class MemberResult(models.TextChoices):
    """What the field visit found for each person named in an item (DTKS verification codes)."""

    CONFIRMED = "confirmed", _("Sesuai (ditemukan)")
    NOT_CONFIRMED = "not_confirmed", _("Tidak sesuai/tidak ditemukan")
    DUPLICATE = "duplicate", _("Data ganda")
    DECEASED = "deceased", _("Meninggal")
    NO_DOCUMENTS = "no_documents", _("Tidak punya dokumen kependudukan")


class HandoverStatus(models.TextChoices):
    AWAITING = "awaiting", _("Menunggu penerimaan daerah tujuan")
    ACCEPTED = "accepted", _("Diterima")
    REFUSED = "refused", _("Ditolak daerah tujuan")


def _upload_path(folder: str, filename: str) -> str:
    """A random name under MEDIA_ROOT/proposals/: the uploader's file name is kept in the row."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"proposals/{folder}/{uuid.uuid4().hex}{suffix}"


def minutes_path(instance: ProposalBatch, filename: str) -> str:
    return _upload_path("minutes", filename)


def photo_path(instance: ProposalItem, filename: str) -> str:
    return _upload_path("visits", filename)


def _user_fk(verbose_name, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


class ProposalBatch(PublicIdModel):
    """Usulan: what one village meeting proposed, with its minutes (berita acara)."""

    village = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    # The village code again, so scoping is a prefix test without a join.
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    # Empty on a draft handed over by the service desk until the village meeting is held.
    meeting_date = models.DateField(_("tanggal musyawarah desa"), null=True, blank=True)
    minutes = models.FileField(
        _("berita acara"), upload_to=minutes_path, max_length=200, blank=True
    )
    minutes_name = models.CharField(_("nama berkas berita acara"), max_length=200, blank=True)
    minutes_type = models.CharField(_("jenis berkas berita acara"), max_length=50, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # A person met at the service desk who is not in the registry (``receive_walk_in``): what
    # was told there (name, NIK, KK, sex, birth date, address, phone) and where it came from.
    walk_in = models.JSONField(_("data dari layanan"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    created_by = _user_fk(_("dibuat oleh"))
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True, db_index=True)
    submitted_by = _user_fk(_("diajukan oleh"))
    verified_at = models.DateTimeField(_("selesai diverifikasi"), null=True, blank=True)
    decided_at = models.DateTimeField(_("selesai ditetapkan"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "area_code"])]

    def __str__(self) -> str:
        return str(_("Usulan %(ref)s") % {"ref": self.ref})

    @property
    def ref(self) -> str:
        """Short reference read out on the phone and printed on letters."""
        return str(self.uid)[:8].upper()


class ProposalItem(PublicIdModel):
    """One proposed change: a new family, a new member, a change, a PPKS, a move or a death."""

    batch = models.ForeignKey(
        ProposalBatch, on_delete=models.CASCADE, related_name="items", verbose_name=_("usulan")
    )
    kind = models.CharField(_("jenis usulan"), max_length=20, choices=ItemKind.choices)
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keluarga"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penduduk"),
    )
    # What is proposed, JSON-ready (dates as ISO text, areas by code); its shape depends on kind.
    payload = models.JSONField(_("isi usulan"), default=dict)
    # The values of the fields to change as they were when the proposal was made.
    snapshot = models.JSONField(_("nilai saat diusulkan"), default=dict, blank=True)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    # Items naming a need-to-know PPKS are hidden from roles without that right.
    sensitive = models.BooleanField(_("sensitif"), default=False)
    created_by = _user_fk(_("diusulkan oleh"))
    # Notes for the verifier found when the item was made (codes, see ``WARNING_LABELS``).
    warnings = models.JSONField(_("catatan"), default=list, blank=True)
    conflicts_with = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="conflicted_by",
        blank=True,
        verbose_name=_("bentrok dengan usulan"),
    )
    # Verification (verifikasi & validasi)
    visit_planned_on = models.DateField(_("rencana kunjungan"), null=True, blank=True)
    visited = models.BooleanField(_("sudah dikunjungi"), default=False)
    member_results = models.JSONField(_("hasil per anggota"), default=dict, blank=True)
    verification_note = models.TextField(_("catatan verifikasi"), blank=True)
    visit_photo = models.FileField(
        _("foto kunjungan"), upload_to=photo_path, max_length=200, blank=True
    )
    # Where the verifier's phone was during the visit, when they chose to record it (WGS 84).
    visit_latitude = models.DecimalField(
        _("lintang lokasi kunjungan"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    visit_longitude = models.DecimalField(
        _("bujur lokasi kunjungan"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    visit_accuracy = models.DecimalField(
        _("akurasi lokasi kunjungan (m)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    visit_located_at = models.DateTimeField(_("waktu lokasi dicatat"), null=True, blank=True)
    verified_by = _user_fk(_("diverifikasi oleh"))
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    # Which value to keep where the record changed after the proposal: {field: {keep, seen, by}}.
    resolutions = models.JSONField(_("pilihan nilai"), default=dict, blank=True)
    # The last stale-data conflict found when applying: {field: {before, current, proposed}}.
    stale = models.JSONField(_("data berubah sejak diusulkan"), default=dict, blank=True)
    # Decision (penetapan)
    decided_by = _user_fk(_("ditetapkan oleh"))
    decided_at = models.DateTimeField(_("ditetapkan"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    # Application to the registry
    applied_at = models.DateTimeField(_("masuk registri"), null=True, blank=True)
    apply_error = models.TextField(_("gagal diterapkan"), blank=True)
    result_household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keluarga hasil penetapan"),
    )
    result_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penduduk hasil penetapan"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("butir usulan")
        verbose_name_plural = _("butir usulan")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "area_code"]),
            models.Index(fields=["created_by", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.uid)[:8]}"

    @property
    def awaiting_application(self) -> bool:
        """Approved but not (yet) in the registry: failed, conflicting or awaiting handover."""
        return self.status == ItemStatus.APPROVED


class ItemSubject(models.Model):
    """Who or what an item is about (``nik:…``/``kk:…``): two open items on one subject clash."""

    item = models.ForeignKey(ProposalItem, on_delete=models.CASCADE, related_name="subjects")
    key = models.CharField(max_length=24, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="one_subject_key_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.key[:3]}"


class Handover(PublicIdModel):
    """Serah terima: a household moving to another regency, released by the origin's Dinas and
    accepted by the destination's. Until then the household stays where it was."""

    # A refused handover stays on record; the origin may release the household again.
    item = models.ForeignKey(
        ProposalItem, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("usulan")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("keluarga")
    )
    from_village = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("dari")
    )
    to_village = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("ke")
    )
    from_code = models.CharField(_("kode wilayah asal"), max_length=13, db_index=True)
    to_code = models.CharField(_("kode wilayah tujuan"), max_length=13, db_index=True)
    # The new address at the destination.
    changes = models.JSONField(_("data keluarga di daerah tujuan"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.AWAITING
    )
    released_by = _user_fk(_("dilepas oleh"))
    released_at = models.DateTimeField(_("dilepas"), null=True, blank=True)
    answered_by = _user_fk(_("dijawab oleh"))
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    answer_note = models.TextField(_("catatan daerah tujuan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("serah terima keluarga")
        verbose_name_plural = _("serah terima keluarga")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.from_code} → {self.to_code}"
