"""Coded values of cycles, entitlements and payments (stored in Bahasa Indonesia, as KPM's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CycleLength(models.IntegerChoices):
    """How many months one cycle covers: PKH four stages a year, BPNT every month."""

    MONTH = 1, _("Bulanan")
    TWO_MONTHS = 2, _("Dua bulanan")
    QUARTER = 3, _("Triwulan (empat tahap setahun)")
    FOUR_MONTHS = 4, _("Caturwulan")
    HALF_YEAR = 6, _("Semester")
    YEAR = 12, _("Tahunan")


class RecipientKind(models.TextChoices):
    HOUSEHOLD = "keluarga", _("Keluarga (KPM)")
    GROUP = "kelompok", _("Kelompok atau rekening desa")


class ChannelRule(models.TextChoices):
    """How a scheme pays: by the recipient's account, or always through one channel."""

    AUTO = "otomatis", _("Otomatis: bank bila ada rekening KKS, selain itu PT Pos")
    BANK = "bank", _("Selalu bank (KKS)")
    POS = "pos", _("Selalu PT Pos")
    EWARONG = "ewarong", _("Selalu e-warong (barang)")


class Channel(models.TextChoices):
    BANK = "bank", _("Bank penyalur (KKS, rekening kolektif Himbara)")
    POS = "pos", _("PT Pos Indonesia")
    EWARONG = "ewarong", _("E-warong (bantuan barang)")


class CycleStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    COMPUTED = "dihitung", _("Dihitung, menunggu persetujuan Dinas")
    DINAS = "disetujui_dinas", _("Disetujui Dinas, menunggu persetujuan Kepala")
    APPROVED = "disetujui", _("Disetujui Kepala, siap disalurkan")
    CLOSED = "ditutup", _("Ditutup")


class EntitlementStatus(models.TextChoices):
    DRAFT = "draf", _("Dihitung")
    HELD = "ditahan", _("Ditahan")
    APPROVED = "disetujui", _("Disetujui, belum disalurkan")
    PAID = "dibayar", _("Dibayar")
    FAILED = "gagal", _("Gagal")
    RETURNED = "dikembalikan", _("Dikembalikan")


class PaymentStatus(models.TextChoices):
    PAID = "dibayar", pgettext_lazy("status pembayaran", "Dibayar")
    FAILED = "gagal", pgettext_lazy("status pembayaran", "Gagal")
    RETURNED = "dikembalikan", pgettext_lazy("status pembayaran", "Dikembalikan")


class ConditionalityKind(models.TextChoices):
    SCHOOL = "sekolah", _("Kehadiran sekolah")
    HEALTH = "kesehatan", _("Kunjungan kesehatan (posyandu, puskesmas)")


class ConditionalityResult(models.TextChoices):
    MET = "terpenuhi", _("Terpenuhi")
    MISSED = "tidak_terpenuhi", _("Tidak terpenuhi")


class ImportStatus(models.TextChoices):
    QUEUED = "menunggu", _("Menunggu")
    RUNNING = "berjalan", _("Sedang diproses")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", pgettext_lazy("status impor", "Gagal")


class ApprovalStep(models.TextChoices):
    """The two approvals of a cycle, as the API names them."""

    DINAS = "dinas", _("Dinas")
    HEAD = "kepala", _("Kepala")
