"""Coded answers of the programme catalogue and the integrated programmes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitType(models.TextChoices):
    CASH = "tunai", _("Bantuan tunai")
    NON_CASH = "nontunai", _("Bantuan nontunai (KKS/e-warong)")
    IN_KIND = "barang", _("Bantuan barang / natura")
    SERVICE = "layanan", _("Layanan")
    GROUP_GRANT = "hibah_kelompok", _("Bantuan ke rekening kelompok")
    VILLAGE_GRANT = "hibah_desa", _("Bantuan ke rekening desa")
    CONTRIBUTION = "iuran", _("Pembayaran iuran (mis. PBI-JK)")


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "nasional", _("Nasional (APBN)")
    PROVINCE = "provinsi", _("Provinsi (APBD provinsi)")
    REGENCY = "kabupaten", _("Kabupaten/kota (APBD)")
    OTHER = "lainnya", _("Lainnya")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    ACTIVE = "aktif", _("Berjalan")
    SUSPENDED = "ditangguhkan", _("Ditangguhkan")
    ENDED = "selesai", _("Selesai")


class AmountPer(models.TextChoices):
    YEAR = "tahun", _("per tahun")
    STAGE = "tahap", _("per tahap")
    MONTH = "bulan", _("per bulan")
    ONCE = "sekali", _("sekali")
    GROUP = "kelompok", _("per kelompok")
    UNIT = "unit", _("per unit")


class TargetGroup(models.TextChoices):
    TKSM = "tksm", _("Tenaga Kesejahteraan Sosial Masyarakat (TKSM)")
    TKSP = "tksp", _("Tenaga Kesejahteraan Sosial Pemerintah (TKSP)")
    OFFICIALS = "aparat", _("Aparat kecamatan dan desa")
    PKK = "pkk", _("Tim Penggerak PKK")
    PSKS = "psks", _("Potensi dan Sumber Kesejahteraan Sosial (PSKS)")
    PPKS = "ppks", _("Pemerlu Pelayanan Kesejahteraan Sosial (PPKS/PMKS)")
    FACILITIES = "sarana", _("Sarana dan prasarana sosial dan umum")
    COMMUNITY = "masyarakat", _("Tokoh dan warga masyarakat")


class ActivityStatus(models.TextChoices):
    PLANNED = "rencana", _("Direncanakan")
    ONGOING = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
    CANCELLED = "batal", _("Dibatalkan")


class Attendance(models.TextChoices):
    INVITED = "diundang", _("Diundang")
    PRESENT = "hadir", _("Hadir")
    ABSENT = "tidak_hadir", _("Tidak hadir")


class FundingSource(models.TextChoices):
    APBN = "apbn", _("APBN (DIPA)")
    DECONCENTRATION = "dekon", _("Dana dekonsentrasi")
    CO_ADMINISTRATION = "tp", _("Dana tugas pembantuan")
    APBD_REGENCY = "apbd_kab", _("APBD kabupaten/kota")
    APBD_PROVINCE = "apbd_prov", _("APBD provinsi")
    OWN = "mandiri", _("Dana lembaga sendiri")
    COMMUNITY_CASH = "swadaya_uang", _("Partisipasi masyarakat (uang)")
    COMMUNITY_KIND = "swadaya_barang", _("Partisipasi masyarakat (barang/tenaga)")
    CSR = "csr", _("CSR dunia usaha")


#: Sources whose budget document (DIPA and the like) has a number and a date.
DOCUMENTED_SOURCES = {
    FundingSource.APBN,
    FundingSource.DECONCENTRATION,
    FundingSource.CO_ADMINISTRATION,
    FundingSource.APBD_REGENCY,
    FundingSource.APBD_PROVINCE,
}


class MEKind(models.TextChoices):
    MONTHLY = "bulanan", _("Laporan bulanan")
    QUARTERLY = "triwulan", _("Evaluasi triwulan")
    AD_HOC = "sewaktu", _("Sewaktu-waktu bila diperlukan")


class IntegratedStatus(models.TextChoices):
    PLANNED = "rencana", _("Direncanakan")
    ACTIVE = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
