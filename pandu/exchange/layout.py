"""The import/export layout: one row per person, its columns, and how file headers map onto them.

The documented layout (``docs/import-format.md``) is what ``generate_registry --out`` writes and
what the export produces, so an export can be imported again. Files from elsewhere name their
columns differently ("NO KK", "NAMA", "TGL LAHIR"); :func:`suggest_mapping` recognises the usual
names and a user confirms or corrects the match once, then saves it as a ``ColumnMapping``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PERSON = "person"
HOUSEHOLD = "household"


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    level: str  # PERSON or HOUSEHOLD
    # nik, kk, text, date, sex, code, bool, int, village, ppks; day (any date), money (rupiah),
    # codes (a set of codes), counts (code=number pairs), phone, account, businesses, breadwinner
    kind: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: str = ""  # name of the choices class in pandu.registry.choices (code, codes, counts)
    max_length: int = 0
    max_value: int = 0  # for kind "int"
    min_value: int = 0


FIELDS: list[Field] = [
    # Required: the household and the person's identity.
    Field(
        "kk_number",
        _("Nomor KK"),
        HOUSEHOLD,
        "kk",
        True,
        (
            "no kk",
            "nomor kk",
            "nokk",
            "no kartu keluarga",
            "nomor kartu keluarga",
            "kk",
            "no_kk",
            "kartu keluarga",
            "nkk",
        ),
    ),
    Field(
        "nik",
        _("NIK"),
        PERSON,
        "nik",
        True,
        ("nik", "no nik", "nomor nik", "nomor induk kependudukan", "no ktp", "nik ktp"),
    ),
    Field(
        "full_name",
        _("Nama lengkap"),
        PERSON,
        "name",
        True,
        ("nama", "nama lengkap", "nama anggota", "nama anggota keluarga", "nama art", "name"),
        max_length=150,
    ),
    Field(
        "sex",
        _("Jenis kelamin (L/P)"),
        PERSON,
        "sex",
        True,
        ("jenis kelamin", "jk", "l p", "kelamin", "gender", "sex", "jns kelamin", "jenkel"),
    ),
    Field(
        "birth_place",
        _("Tempat lahir"),
        PERSON,
        "text",
        True,
        ("tempat lahir", "tmp lahir", "tmpt lahir", "tempat lhr", "kota lahir"),
        max_length=100,
    ),
    Field(
        "birth_date",
        _("Tanggal lahir"),
        PERSON,
        "date",
        True,
        ("tanggal lahir", "tgl lahir", "tgl lhr", "tanggal lhr", "tgllahir", "lahir tanggal"),
    ),
    Field(
        "relationship",
        _("Hubungan dengan kepala keluarga"),
        PERSON,
        "relationship",
        True,
        (
            "hubungan",
            "hubungan keluarga",
            "hub keluarga",
            "hubungan dengan kepala keluarga",
            "hubungan dengan kk",
            "hub dgn kk",
            "shdk",
            "status hubungan dalam keluarga",
            "status dalam keluarga",
            "hubungan dengan krt",
        ),
        choices="Relationship",
    ),
    Field(
        "marital_status",
        _("Status perkawinan"),
        PERSON,
        "marital",
        True,
        ("status perkawinan", "status kawin", "perkawinan", "status nikah", "sts kawin"),
        choices="MaritalStatus",
    ),
    Field(
        "village_code",
        _("Kode desa/kelurahan"),
        HOUSEHOLD,
        "village",
        True,
        (
            "kode desa",
            "kode kelurahan",
            "kode desa kelurahan",
            "kode wilayah",
            "kode kel",
            "kd desa",
            "kode desa kel",
            "village code",
        ),
    ),
    Field("rt", _("RT"), HOUSEHOLD, "rtrw", True, ("rt", "no rt", "nomor rt")),
    Field("rw", _("RW"), HOUSEHOLD, "rtrw", True, ("rw", "no rw", "nomor rw")),
    Field(
        "address",
        _("Alamat (jalan/dusun)"),
        HOUSEHOLD,
        "text",
        True,
        ("alamat", "alamat lengkap", "jalan", "dusun", "alamat jalan dusun"),
        max_length=200,
    ),
    # Optional: socio-economic answers about the person.
    Field(
        "education",
        _("Pendidikan tertinggi"),
        PERSON,
        "code",
        synonyms=("pendidikan", "pendidikan tertinggi", "ijazah tertinggi"),
        choices="Education",
    ),
    Field(
        "work_status",
        _("Status pekerjaan"),
        PERSON,
        "code",
        synonyms=("status pekerjaan", "status kerja", "kedudukan dalam pekerjaan"),
        choices="WorkStatus",
    ),
    Field(
        "work_sector",
        _("Lapangan usaha"),
        PERSON,
        "code",
        synonyms=("lapangan usaha", "sektor pekerjaan", "lapangan pekerjaan", "sektor usaha"),
        choices="WorkSector",
    ),
    Field(
        "disability_type",
        _("Jenis disabilitas"),
        PERSON,
        "code",
        synonyms=("jenis disabilitas", "disabilitas", "jenis cacat", "kecacatan"),
        choices="DisabilityType",
    ),
    Field(
        "disability_severity",
        _("Tingkat disabilitas"),
        PERSON,
        "code",
        synonyms=("tingkat disabilitas", "tingkat kesulitan", "derajat disabilitas"),
        choices="Severity",
    ),
    Field(
        "chronic_illness",
        _("Penyakit kronis"),
        PERSON,
        "code",
        synonyms=("penyakit kronis", "penyakit menahun", "penyakit kronis menahun"),
        choices="ChronicIllness",
    ),
    Field("pregnant", _("Sedang hamil"), PERSON, "bool", synonyms=("hamil", "sedang hamil")),
    Field(
        "school_participation",
        _("Partisipasi sekolah"),
        PERSON,
        "code",
        synonyms=("partisipasi sekolah", "status sekolah"),
        choices="SchoolParticipation",
    ),
    Field(
        "worked_last_week",
        _("Bekerja seminggu terakhir"),
        PERSON,
        "nullbool",
        synonyms=("bekerja seminggu terakhir", "bekerja", "bekerja minggu lalu"),
    ),
    Field(
        "has_id_card",
        _("Memiliki KTP-el"),
        PERSON,
        "nullbool",
        synonyms=("memiliki ktp", "punya ktp", "ktp el", "memiliki ktp el"),
    ),
    Field(
        "has_marriage_certificate",
        _("Memiliki akta nikah"),
        PERSON,
        "nullbool",
        synonyms=("akta nikah", "memiliki akta nikah", "buku nikah"),
    ),
    Field(
        "on_family_card",
        _("Tercantum di KK"),
        PERSON,
        "bool_default_true",
        synonyms=("tercantum di kk", "ada di kk"),
    ),
    Field(
        "head_reason",
        _("Alasan kepala keluarga di bawah umur"),
        PERSON,
        "text",
        synonyms=("alasan kepala keluarga di bawah umur", "alasan kepala keluarga"),
        max_length=300,
    ),
    Field(
        "school_level",
        _("Jenjang sekolah saat ini"),
        PERSON,
        "code",
        synonyms=("jenjang sekolah", "jenjang pendidikan saat ini", "kelas sekolah saat ini"),
        choices="SchoolLevel",
    ),
    Field(
        "pregnancy_months",
        _("Usia kehamilan (bulan)"),
        PERSON,
        "int",
        synonyms=("usia kehamilan", "usia kandungan", "umur kehamilan"),
        max_value=10,
        min_value=1,
    ),
    Field(
        "due_date",
        _("Perkiraan tanggal persalinan"),
        PERSON,
        "day",
        synonyms=("perkiraan persalinan", "hpl", "hari perkiraan lahir", "tanggal persalinan"),
    ),
    Field(
        "health_insurance",
        _("Jaminan kesehatan"),
        PERSON,
        "code",
        synonyms=("jaminan kesehatan", "jkn", "bpjs kesehatan", "status jkn", "kepesertaan jkn"),
        choices="HealthInsurance",
    ),
    Field(
        "phone",
        _("Nomor telepon"),
        PERSON,
        "phone",
        synonyms=("telepon", "no hp", "nomor hp", "no telepon", "hp", "nomor telepon seluler"),
    ),
    Field(
        "bank_name",
        _("Bank penyalur"),
        PERSON,
        "text",
        synonyms=("bank", "nama bank", "bank penyalur"),
        max_length=50,
    ),
    Field(
        "bank_account",
        _("Nomor rekening bank/KKS"),
        PERSON,
        "account",
        synonyms=(
            "nomor rekening",
            "no rekening",
            "rekening",
            "no rek",
            "nomor kks",
            "rekening kks",
        ),
    ),
    Field(
        "breadwinner",
        _("Pencari nafkah utama"),
        PERSON,
        "breadwinner",
        synonyms=("pencari nafkah utama", "pencari nafkah", "tulang punggung keluarga"),
    ),
    Field(
        "ppks",
        _("PPKS (nomor kategori, dipisah titik koma)"),
        PERSON,
        "ppks",
        synonyms=("ppks", "pmks", "kategori ppks", "jenis ppks", "kode ppks"),
    ),
    # Optional: the household's dwelling (DTKS/DTSEN housing questions), codes as in choices.py.
    Field(
        "ownership",
        _("Status kepemilikan bangunan"),
        HOUSEHOLD,
        "code",
        synonyms=("status kepemilikan bangunan", "kepemilikan bangunan", "status rumah"),
        choices="Ownership",
    ),
    Field(
        "land_ownership",
        _("Status kepemilikan lahan"),
        HOUSEHOLD,
        "code",
        synonyms=("status kepemilikan lahan", "kepemilikan lahan", "status lahan"),
        choices="LandOwnership",
    ),
    Field(
        "land_area",
        _("Luas lahan (m²)"),
        HOUSEHOLD,
        "int",
        synonyms=("luas lahan", "luas lahan m2", "luas tanah"),
        max_value=100_000_000,
    ),
    Field(
        "floor_area",
        _("Luas lantai (m²)"),
        HOUSEHOLD,
        "int",
        synonyms=("luas lantai", "luas lantai m2"),
        max_value=10_000,
    ),
    Field(
        "floor_material",
        _("Jenis lantai terluas"),
        HOUSEHOLD,
        "code",
        synonyms=("jenis lantai", "jenis lantai terluas", "lantai"),
        choices="FloorMaterial",
    ),
    Field(
        "wall_material",
        _("Jenis dinding terluas"),
        HOUSEHOLD,
        "code",
        synonyms=("jenis dinding", "jenis dinding terluas", "dinding"),
        choices="WallMaterial",
    ),
    Field(
        "wall_condition",
        _("Kondisi dinding"),
        HOUSEHOLD,
        "code",
        synonyms=("kondisi dinding",),
        choices="Condition",
    ),
    Field(
        "roof_material",
        _("Jenis atap terluas"),
        HOUSEHOLD,
        "code",
        synonyms=("jenis atap", "jenis atap terluas", "atap"),
        choices="RoofMaterial",
    ),
    Field(
        "roof_condition",
        _("Kondisi atap"),
        HOUSEHOLD,
        "code",
        synonyms=("kondisi atap",),
        choices="Condition",
    ),
    Field(
        "bedrooms",
        _("Jumlah kamar tidur"),
        HOUSEHOLD,
        "int",
        synonyms=("jumlah kamar tidur", "kamar tidur"),
        max_value=50,
    ),
    Field(
        "water_source",
        _("Sumber air minum"),
        HOUSEHOLD,
        "code",
        synonyms=("sumber air minum", "air minum"),
        choices="WaterSource",
    ),
    Field(
        "lighting",
        _("Sumber penerangan"),
        HOUSEHOLD,
        "code",
        synonyms=("sumber penerangan", "penerangan"),
        choices="Lighting",
    ),
    Field(
        "wattage",
        _("Daya listrik PLN (watt)"),
        HOUSEHOLD,
        "code",
        synonyms=("daya listrik", "daya terpasang", "daya listrik pln"),
        choices="Wattage",
    ),
    Field(
        "cooking_fuel",
        _("Bahan bakar memasak"),
        HOUSEHOLD,
        "code",
        synonyms=("bahan bakar memasak", "bahan bakar", "bahan bakar utama memasak"),
        choices="CookingFuel",
    ),
    Field(
        "toilet_use",
        _("Fasilitas BAB"),
        HOUSEHOLD,
        "code",
        synonyms=("fasilitas bab", "fasilitas buang air besar"),
        choices="ToiletUse",
    ),
    Field(
        "toilet_type",
        _("Jenis kloset"),
        HOUSEHOLD,
        "code",
        synonyms=("jenis kloset", "kloset"),
        choices="ToiletType",
    ),
    Field(
        "waste_disposal",
        _("Pembuangan akhir tinja"),
        HOUSEHOLD,
        "code",
        synonyms=("pembuangan akhir tinja", "pembuangan tinja"),
        choices="WasteDisposal",
    ),
    # Optional: the household's economy, holdings and welfare rank.
    Field(
        "income_monthly",
        _("Perkiraan pendapatan per bulan (Rp)"),
        HOUSEHOLD,
        "money",
        synonyms=("pendapatan", "pendapatan per bulan", "penghasilan", "penghasilan per bulan"),
    ),
    Field(
        "expenditure_monthly",
        _("Perkiraan pengeluaran per bulan (Rp)"),
        HOUSEHOLD,
        "money",
        synonyms=("pengeluaran", "pengeluaran per bulan", "pengeluaran rumah tangga"),
    ),
    Field(
        "assets",
        _("Aset (kode, dipisah titik koma)"),
        HOUSEHOLD,
        "codes",
        synonyms=("aset", "kepemilikan aset", "aset bergerak", "aset tidak bergerak"),
        choices="Asset",
    ),
    Field(
        "livestock",
        _("Ternak (jenis=jumlah, dipisah titik koma)"),
        HOUSEHOLD,
        "counts",
        synonyms=("ternak", "jumlah ternak", "kepemilikan ternak"),
        choices="Livestock",
    ),
    Field(
        "cards",
        _("Kartu/program (kode, dipisah titik koma)"),
        HOUSEHOLD,
        "codes",
        synonyms=("kartu", "kartu program", "kepemilikan kartu", "program bantuan"),
        choices="Card",
    ),
    Field(
        "businesses",
        _("Usaha (bentuk/lapangan/pekerja/omzet, dipisah titik koma)"),
        HOUSEHOLD,
        "businesses",
        synonyms=("usaha", "usaha keluarga", "data usaha"),
    ),
    Field(
        "collected_on",
        _("Tanggal pendataan"),
        HOUSEHOLD,
        "day",
        synonyms=("tanggal pendataan", "tgl pendataan", "tanggal pencacahan", "tanggal survei"),
    ),
    Field(
        "desil",
        _("Desil kesejahteraan"),
        HOUSEHOLD,
        "int",
        synonyms=("desil", "desil nasional", "peringkat desil", "desil kesejahteraan"),
        max_value=10,
        min_value=1,
    ),
    Field(
        "desil_source",
        _("Sumber desil"),
        HOUSEHOLD,
        "code",
        synonyms=("sumber desil", "asal desil"),
        choices="DesilSource",
    ),
    Field(
        "desil_reference",
        _("Rujukan sumber desil"),
        HOUSEHOLD,
        "text",
        synonyms=("rujukan desil", "referensi desil", "periode desil"),
        max_length=100,
    ),
]

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
REQUIRED = [f.name for f in FIELDS if f.required]
#: The columns ``generate_registry --out`` writes (demo.synth.CSV_COLUMNS), in that order.
CORE_COLUMNS = [
    "kk_number", "nik", "full_name", "sex", "birth_place", "birth_date", "relationship",
    "marital_status", "village_code", "rt", "rw", "address", "education", "work_status",
    "work_sector", "disability_type", "disability_severity", "chronic_illness", "pregnant", "ppks",
]  # fmt: skip
#: What an export writes: the core columns, then the other optional ones.
EXPORT_COLUMNS = CORE_COLUMNS + [f.name for f in FIELDS if f.name not in CORE_COLUMNS]
#: Columns that are not one table column each: PPKS rows, the household's breadwinner (a flag
#: on the person's row) and its businesses (a related table).
SPECIAL = {"ppks", "breadwinner", "businesses"}
PERSON_OPTIONAL = [
    f.name for f in FIELDS if f.level == PERSON and not f.required and f.name not in SPECIAL
]
HOUSEHOLD_OPTIONAL = [
    f.name for f in FIELDS if f.level == HOUSEHOLD and not f.required and f.name not in SPECIAL
]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(text: object) -> str:
    """``" No. KK "`` → ``"no kk"``; ``"TGL_LAHIR"`` → ``"tgl lahir"``; accents dropped."""
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub(" ", value.lower()).strip()


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    with translation.override("id"):  # the XLSX export's headers are the Indonesian labels
        for f in FIELDS:
            for key in (f.name, f.name.replace("_", " "), str(f.label), *f.synonyms):
                table.setdefault(normalise_header(key), f.name)
    return table


SYNONYMS = _build_synonyms()


def suggest_mapping(headers: list[str]) -> dict[str, int]:
    """Field name → column index for the headers recognised; each field and column used once."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = SYNONYMS.get(normalise_header(header))
        if name is not None and name not in mapping:
            mapping[name] = index
    return mapping


def header_score(cells: list) -> int:
    """How many cells of a row look like known column names (to find the header row)."""
    return len({SYNONYMS[h] for h in map(normalise_header, cells) if h in SYNONYMS})


def mapping_from_saved(saved: dict[str, str], headers: list[str]) -> dict[str, int]:
    """A saved mapping (field → normalised header) applied to this file's headers."""
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(normalise_header(h), i)
    return {field: index[h] for field, h in saved.items() if h in index and field in FIELD_BY_NAME}


def mapping_to_saved(mapping: dict[str, int], headers: list[str]) -> dict[str, str]:
    return {
        field: normalise_header(headers[i])
        for field, i in mapping.items()
        if 0 <= i < len(headers) and field in FIELD_BY_NAME
    }


def missing_required(mapping: dict[str, int]) -> list[str]:
    return [name for name in REQUIRED if name not in mapping]
