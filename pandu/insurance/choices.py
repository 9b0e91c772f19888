"""Coded answers of the Askesos records (community social insurance, seed 001)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Criterion(models.TextChoices):
    """The provider requirements of seed 001, each checked with evidence by the Dinas."""

    LEGAL_STATUS = "badan_hukum", _("Berbadan hukum")
    EXPERIENCE = "pengalaman", _("Paling sedikit 3 tahun menyelenggarakan pelayanan sosial")
    STAFF = "sdm", _("Tenaga terlatih dengan uraian tugas yang jelas")
    REPUTATION = "reputasi", _("Reputasi baik di masyarakat")
    TRANSPARENCY = "transparansi", _("Pengelolaan yang transparan")
    FACILITIES = "sarana", _("Sarana dan prasarana memadai")
    NETWORK = "jejaring", _("Jejaring dengan pemerintah, dunia usaha dan organisasi sosial")


class Finding(models.TextChoices):
    PENDING = "belum", _("Belum diperiksa")
    MET = "memenuhi", _("Memenuhi")
    NOT_MET = "tidak", _("Tidak memenuhi")


class AccreditationStatus(models.TextChoices):
    REVIEW = "diperiksa", _("Sedang diperiksa")
    ACCREDITED = "terakreditasi", _("Terakreditasi")
    REFUSED = "ditolak", _("Ditolak")
    REVOKED = "dicabut", _("Dicabut")


class MemberStatus(models.TextChoices):
    ACTIVE = "aktif", _("Aktif")
    LAPSED = "gugur", _("Gugur (tunggakan)")
    ENDED = "berakhir", pgettext_lazy("askesos", "Berakhir")


class EndReason(models.TextChoices):
    DEATH = "meninggal", pgettext_lazy("askesos", "Meninggal dunia")
    WITHDRAWN = "mengundurkan_diri", _("Mengundurkan diri")
    NOT_REINSTATED = "tidak_dipulihkan", _("Gugur dan tidak dipulihkan")
    MOVED = "pindah", _("Pindah penyelenggara")
    OTHER = "lainnya", _("Lainnya")


class PaymentMethod(models.TextChoices):
    CASH = "tunai", _("Tunai (dipungut penyelenggara)")
    TRANSFER = "transfer", _("Transfer bank")


class EventType(models.TextChoices):
    ILLNESS = "sakit", _("Sakit")
    ACCIDENT = "kecelakaan", _("Kecelakaan")
    DEATH = "meninggal", pgettext_lazy("askesos", "Meninggal dunia")


class DocumentKind(models.TextChoices):
    DOCTOR = "surat_dokter", _("Surat keterangan dokter")
    POLICE = "laporan_polisi", _("Laporan polisi")
    DEATH = "akta_kematian", _("Akta/surat keterangan kematian")
    RECEIPT = "kuitansi", _("Kuitansi/bukti biaya")
    OTHER = "lainnya", _("Dokumen lain")


#: The documents a claim of each event needs before it can be approved (any one of a tuple).
REQUIRED_DOCUMENTS: dict[str, tuple[tuple[str, ...], ...]] = {
    EventType.ILLNESS: ((DocumentKind.DOCTOR,),),
    EventType.ACCIDENT: ((DocumentKind.POLICE, DocumentKind.DOCTOR),),
    EventType.DEATH: ((DocumentKind.DEATH,),),
}


class ClaimStatus(models.TextChoices):
    REVIEW = "ditinjau", _("Menunggu tinjauan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")
    PAID = "dibayar", _("Dibayar")


#: Claims that still hold their event: a rejected claim does not stop a corrected one.
HOLDING_CLAIM = (ClaimStatus.REVIEW, ClaimStatus.APPROVED, ClaimStatus.PAID)
