"""Coded answers of the DTKS/DTSEN household and person questionnaires.

Codes are stored, labels are translated; imports and the API speak the codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Relationship(models.IntegerChoices):
    HEAD = 1, _("Kepala keluarga")
    SPOUSE = 2, _("Istri/suami")
    CHILD = 3, _("Anak")
    CHILD_IN_LAW = 4, _("Menantu")
    GRANDCHILD = 5, _("Cucu")
    PARENT = 6, _("Orang tua/mertua")
    HELP = 7, _("Pembantu rumah tangga")
    OTHER = 8, _("Lainnya")


class MaritalStatus(models.IntegerChoices):
    SINGLE = 1, _("Belum kawin")
    MARRIED = 2, _("Kawin/nikah")
    DIVORCED = 3, _("Cerai hidup")
    WIDOWED = 4, _("Cerai mati")


class Education(models.IntegerChoices):
    NONE = 0, _("Tidak/belum sekolah")
    SD = 1, _("SD/MI/sederajat")
    SMP = 2, _("SMP/MTs/sederajat")
    SMA = 3, _("SMA/SMK/MA/sederajat")
    DIPLOMA = 4, _("Diploma")
    S1 = 5, _("S1/D4")
    S2 = 6, _("S2/S3")


class SchoolParticipation(models.IntegerChoices):
    NEVER = 0, _("Tidak/belum pernah sekolah")
    IN_SCHOOL = 1, _("Masih sekolah")
    LEFT = 2, _("Tidak bersekolah lagi")


class WorkStatus(models.IntegerChoices):
    NOT_WORKING = 0, _("Tidak bekerja")
    SELF = 1, _("Berusaha sendiri")
    SELF_HELPED = 2, _("Berusaha dibantu buruh tidak tetap")
    EMPLOYER = 3, _("Berusaha dibantu buruh tetap")
    EMPLOYEE = 4, _("Buruh/karyawan/pegawai")
    FREELANCE = 5, _("Pekerja bebas")
    FAMILY = 6, _("Pekerja keluarga/tidak dibayar")


class WorkSector(models.IntegerChoices):
    NONE = 0, _("Tidak bekerja")
    FARMING = 1, _("Pertanian tanaman pangan/perkebunan")
    LIVESTOCK = 2, _("Peternakan")
    FISHERY = 3, _("Perikanan")
    FORESTRY = 4, _("Kehutanan")
    MINING = 5, _("Pertambangan/penggalian")
    INDUSTRY = 6, _("Industri pengolahan")
    CONSTRUCTION = 7, _("Konstruksi/bangunan")
    TRADE = 8, _("Perdagangan")
    TRANSPORT = 9, _("Transportasi dan pergudangan")
    SERVICES = 10, _("Jasa kemasyarakatan/perorangan")
    OTHER = 11, _("Lainnya")


class DisabilityType(models.IntegerChoices):
    NONE = 0, _("Tidak ada")
    PHYSICAL = 1, _("Disabilitas fisik")
    INTELLECTUAL = 2, _("Disabilitas intelektual")
    MENTAL = 3, _("Disabilitas mental")
    SENSORY = 4, _("Disabilitas sensorik")
    MULTIPLE = 5, _("Disabilitas ganda")


class Severity(models.IntegerChoices):
    NONE = 0, _("Tidak ada")
    MILD = 1, _("Ringan")
    MODERATE = 2, _("Sedang")
    SEVERE = 3, _("Berat")


class ChronicIllness(models.IntegerChoices):
    NONE = 0, _("Tidak ada")
    HYPERTENSION = 1, _("Hipertensi")
    RHEUMATISM = 2, _("Rematik")
    ASTHMA = 3, _("Asma")
    HEART = 4, _("Jantung")
    DIABETES = 5, _("Diabetes")
    TUBERCULOSIS = 6, _("Tuberkulosis")
    STROKE = 7, _("Stroke")
    CANCER = 8, _("Kanker/tumor")
    KIDNEY = 9, _("Gagal ginjal")
    OTHER = 10, _("Lainnya")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    MOVED = "moved", _("Pindah")
    DECEASED = "deceased", _("Meninggal")
    MERGED = "merged", _("Digabung (data ganda)")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    MOVED = "moved", _("Pindah wilayah")
    DISSOLVED = "dissolved", _("Bubar/tidak aktif")


class Ownership(models.IntegerChoices):
    OWN = 1, _("Milik sendiri")
    RENT = 2, _("Kontrak/sewa")
    FREE = 3, _("Bebas sewa")
    OFFICIAL = 4, _("Dinas")
    OTHER = 5, _("Lainnya")


class LandOwnership(models.IntegerChoices):
    OWN = 1, _("Milik sendiri")
    OTHERS = 2, _("Milik orang lain")
    STATE = 3, _("Tanah negara")
    OTHER = 4, _("Lainnya")


class FloorMaterial(models.IntegerChoices):
    MARBLE = 1, _("Marmer/granit")
    CERAMIC = 2, _("Keramik")
    PARQUET = 3, _("Parket/vinil/karpet")
    TILE = 4, _("Ubin/tegel/teraso")
    GOOD_WOOD = 5, _("Kayu/papan kualitas tinggi")
    CEMENT = 6, _("Semen/bata merah")
    BAMBOO = 7, _("Bambu")
    POOR_WOOD = 8, _("Kayu/papan kualitas rendah")
    EARTH = 9, _("Tanah")
    OTHER = 10, _("Lainnya")


class WallMaterial(models.IntegerChoices):
    BRICK = 1, _("Tembok")
    PLASTER_BAMBOO = 2, _("Plesteran anyaman bambu/kawat")
    WOOD = 3, _("Kayu/papan")
    BAMBOO = 4, _("Anyaman bambu")
    LOG = 5, _("Batang kayu")
    OTHER = 6, _("Lainnya")


class RoofMaterial(models.IntegerChoices):
    CONCRETE = 1, _("Beton")
    CLAY_TILE = 2, _("Genteng")
    ASBESTOS = 3, _("Asbes")
    ZINC = 4, _("Seng")
    WOOD = 5, _("Kayu/sirap")
    BAMBOO = 6, _("Bambu")
    THATCH = 7, _("Jerami/ijuk/daun/rumbia")
    OTHER = 8, _("Lainnya")


class Condition(models.IntegerChoices):
    GOOD = 1, _("Bagus/kualitas tinggi")
    POOR = 2, _("Jelek/kualitas rendah")


class WaterSource(models.IntegerChoices):
    BOTTLED = 1, _("Air kemasan bermerk")
    REFILL = 2, _("Air isi ulang")
    PIPED = 3, _("Leding")
    PUMP = 4, _("Sumur bor/pompa")
    PROTECTED_WELL = 5, _("Sumur terlindung")
    UNPROTECTED_WELL = 6, _("Sumur tak terlindung")
    PROTECTED_SPRING = 7, _("Mata air terlindung")
    UNPROTECTED_SPRING = 8, _("Mata air tak terlindung")
    SURFACE = 9, _("Air permukaan (sungai/danau/waduk)")
    RAIN = 10, _("Air hujan")
    OTHER = 11, _("Lainnya")


class Lighting(models.IntegerChoices):
    PLN_METER = 1, _("Listrik PLN dengan meteran")
    PLN_NO_METER = 2, _("Listrik PLN tanpa meteran")
    NON_PLN = 3, _("Listrik non-PLN")
    NONE = 4, _("Bukan listrik")


class Wattage(models.IntegerChoices):
    NONE = 0, _("Tidak ada")
    W450 = 450, "450 watt"
    W900 = 900, "900 watt"
    W1300 = 1300, "1.300 watt"
    W2200 = 2200, "2.200 watt"
    ABOVE = 2201, _("Lebih dari 2.200 watt")


class CookingFuel(models.IntegerChoices):
    NONE = 0, _("Tidak memasak di rumah")
    ELECTRIC = 1, _("Listrik")
    LPG_LARGE = 2, _("Elpiji 5,5 kg/blue gaz atau lebih")
    LPG_3KG = 3, _("Elpiji 3 kg")
    BIOGAS = 4, _("Gas kota/biogas")
    KEROSENE = 5, _("Minyak tanah")
    BRIQUETTE = 6, _("Briket")
    CHARCOAL = 7, _("Arang")
    WOOD = 8, _("Kayu bakar")
    OTHER = 9, _("Lainnya")


class ToiletUse(models.IntegerChoices):
    OWN = 1, _("Sendiri")
    SHARED = 2, _("Bersama rumah tangga tertentu")
    PUBLIC = 3, _("MCK umum")
    NONE = 4, _("Tidak ada")


class ToiletType(models.IntegerChoices):
    GOOSENECK = 1, _("Leher angsa")
    PLENGSENGAN = 2, _("Plengsengan dengan tutup")
    PIT = 3, _("Cemplung/cubluk")
    NONE = 4, _("Tidak pakai")


class WasteDisposal(models.IntegerChoices):
    SEPTIC = 1, _("Tangki septik")
    IPAL = 2, _("IPAL")
    PIT = 3, _("Lubang tanah")
    FIELD = 4, _("Kolam/sawah/sungai/danau/laut")
    BEACH = 5, _("Pantai/tanah lapang/kebun")
    OTHER = 6, _("Lainnya")


class Asset(models.TextChoices):
    """Movable and fixed assets recorded as a set of codes."""

    GAS_TANK = "gas5", _("Tabung gas 5,5 kg atau lebih")
    FRIDGE = "fridge", _("Lemari es/kulkas")
    AC = "ac", _("AC")
    WATER_HEATER = "heater", _("Pemanas air")
    LANDLINE = "phone", _("Telepon rumah")
    TV = "tv", _("Televisi layar datar")
    GOLD = "gold", _("Emas/perhiasan (≥10 gram)")
    COMPUTER = "computer", _("Komputer/laptop")
    BICYCLE = "bicycle", _("Sepeda")
    MOTORCYCLE = "motorcycle", _("Sepeda motor")
    CAR = "car", _("Mobil")
    BOAT = "boat", _("Perahu")
    MOTORBOAT = "motorboat", _("Perahu motor")
    SMARTPHONE = "smartphone", _("Telepon seluler/smartphone")
    OTHER_LAND = "land", _("Lahan/tanah di tempat lain")
    OTHER_HOUSE = "house", _("Rumah di tempat lain")


class Card(models.TextChoices):
    KKS = "kks", _("KKS (Kartu Keluarga Sejahtera)")
    KIP = "kip", _("KIP (Kartu Indonesia Pintar)")
    KIS = "kis", _("KIS/PBI-JK")
    PKH = "pkh", _("PKH")
    BPNT = "bpnt", _("BPNT/Sembako")
    BPJS_MANDIRI = "bpjs", _("BPJS Kesehatan mandiri")
    JAMSOSTEK = "jamsostek", _("BPJS Ketenagakerjaan")
    KUR = "kur", _("Kredit usaha rakyat")
    RASTRA = "rastra", _("Raskin/Rastra (lama)")


class Livestock(models.TextChoices):
    """Kinds of livestock counted per household (head count per kind)."""

    CATTLE = "sapi", _("Sapi")
    BUFFALO = "kerbau", _("Kerbau")
    HORSE = "kuda", _("Kuda")
    PIG = "babi", _("Babi")
    GOAT = "kambing", _("Kambing")
    SHEEP = "domba", _("Domba")
    POULTRY = "unggas", _("Unggas")


class SchoolLevel(models.IntegerChoices):
    """The level a person attends now (for those still in school)."""

    NONE = 0, _("Tidak sedang bersekolah")
    PAUD = 1, _("PAUD/TK/RA")
    SD = 2, _("SD/MI/Paket A")
    SMP = 3, _("SMP/MTs/Paket B")
    SMA = 4, _("SMA/SMK/MA/Paket C")
    COLLEGE = 5, _("Perguruan tinggi")


class HealthInsurance(models.IntegerChoices):
    NONE = 0, _("Tidak punya")
    PBI = 1, _("PBI-JK (iuran dibayar pemerintah)")
    MANDIRI = 2, _("JKN mandiri")
    OTHER = 3, _("Lainnya (JKN pekerja penerima upah, asuransi lain)")


class DesilSource(models.TextChoices):
    """Where a household's desil came from."""

    DTSEN = "dtsen", _("Impor DTSEN/BPS")
    TARGETING = "targeting", _("Pemeringkatan Pandu")
    MANUAL = "manual", _("Diisi manual")


class BusinessKind(models.IntegerChoices):
    SOLE = 1, _("Usaha sendiri")
    FAMILY = 2, _("Usaha keluarga")
    GROUP = 3, _("Usaha bersama/kelompok (KUBE, koperasi)")
    OTHER = 4, _("Lainnya")


CHOICE_SETS = {
    "ownership": Ownership,
    "land_ownership": LandOwnership,
    "floor_material": FloorMaterial,
    "wall_material": WallMaterial,
    "roof_material": RoofMaterial,
    "water_source": WaterSource,
    "lighting": Lighting,
    "wattage": Wattage,
    "cooking_fuel": CookingFuel,
    "toilet_use": ToiletUse,
    "toilet_type": ToiletType,
    "waste_disposal": WasteDisposal,
    "desil_source": DesilSource,
}
