"""The row parser's messages, translated once per import, and its small cell helpers."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from ..records import (
    EXCEL_EPOCH,
)


def _messages() -> dict[str, str]:
    """Every message of the parser, translated once per import (not once per row)."""
    return {
        "unreadable": _("Baris ini tidak dapat dibaca sebagai CSV (tanda kutip rusak)."),
        "short": _(
            "Baris ini hanya berisi %(n)s kolom, padahal judul berisi %(m)s kolom: berkas "
            "terpotong atau ada kolom yang hilang."
        ),
        "long": _(
            "Baris ini berisi %(n)s kolom, lebih banyak dari judulnya (%(m)s kolom): mungkin ada "
            "pemisah kolom (koma/titik koma) di dalam isian yang tidak diberi tanda kutip."
        ),
        "nik_number": _(
            "NIK tersimpan sebagai angka di Excel, sehingga digit terakhirnya hilang (Excel hanya "
            "menyimpan 15 digit). Format kolom NIK sebagai Teks, lalu ketik ulang NIK dari KTP "
            "atau KK."
        ),
        "kk_number": _(
            "Nomor KK tersimpan sebagai angka di Excel, sehingga digit terakhirnya hilang (Excel "
            "hanya menyimpan 15 digit). Format kolom Nomor KK sebagai Teks, lalu ketik ulang "
            "nomornya dari kartu KK."
        ),
        "formula": _(
            "Isian diawali =, +, - atau @ sehingga terbaca sebagai rumus spreadsheet, bukan "
            "teks; isian seperti ini tidak diterima."
        ),
        "sex": _("Jenis kelamin harus L (laki-laki) atau P (perempuan)."),
        "sex_empty": _("Jenis kelamin wajib diisi (L atau P)."),
        "relationship": _(
            "Hubungan dengan kepala keluarga harus kode 1–8 atau kata seperti “Kepala "
            "Keluarga”, “Istri”, “Anak”, “Menantu”, "
            "“Cucu”, “Orang Tua”, “Pembantu”, “Lainnya”."
        ),
        "marital": _(
            "Status perkawinan harus kode 1–4 (1 belum kawin, 2 kawin, 3 cerai hidup, 4 "
            "cerai mati) atau kata tersebut."
        ),
        "pregnant": _("Status hamil hanya untuk perempuan."),
        "too_long": _("%(label)s terlalu panjang (%(n)s karakter, paling banyak %(max)s)."),
        "bad_chars": _(
            "%(label)s berisi karakter yang tidak diizinkan (< > { } atau kode kontrol)."
        ),
        "date": _(
            "Tanggal lahir tidak dapat dibaca. Gunakan HH-BB-TTTT (misalnya 05-07-1985), "
            "HH/BB/TTTT, TTTT-BB-HH, atau format tanggal Excel."
        ),
        "date_empty": _("Tanggal lahir wajib diisi."),
        "year2": _("Tahun lahir harus ditulis 4 digit (misalnya 05-07-1985), bukan 2 digit."),
        "no_such_date": _("Tanggal lahir %(value)s tidak ada di kalender."),
        "village_empty": _("Kode desa/kelurahan wajib diisi (misalnya 73.09.13.2001)."),
        "village_level": _(
            "%(code)s adalah kode provinsi/kabupaten/kecamatan; isi kode desa/kelurahan (10 digit)."
        ),
        "village_unknown": _(
            "Kode desa/kelurahan %(code)s tidak dikenal. Gunakan kode Kemendagri, misalnya "
            "73.09.13.2001."
        ),
        "village_outside": _(
            "Desa/kelurahan %(code)s berada di luar wilayah kerja Anda (%(scope)s); baris ini "
            "tidak boleh diimpor oleh akun Anda."
        ),
        "rt": _("RT harus angka 0–999."),
        "rw": _("RW harus angka 0–999."),
        "code": _("%(label)s: kode %(value)s tidak dikenal (pilihan: %(allowed)s)."),
        "bool": _("%(label)s harus 1/0 atau Ya/Tidak."),
        "int_range": _("%(label)s harus bilangan bulat %(min)s–%(max)s."),
        "money": _(
            "%(label)s harus jumlah rupiah tanpa desimal (misalnya 1500000 atau 1.500.000)."
        ),
        "day": _(
            "%(label)s tidak dapat dibaca sebagai tanggal. Gunakan HH-BB-TTTT (misalnya "
            "05-07-2024), TTTT-BB-HH, atau format tanggal Excel."
        ),
        "codes": _(
            "%(label)s: kode %(value)s tidak dikenal (pilihan, dipisah titik koma: %(allowed)s)."
        ),
        "counts": _(
            "%(label)s: %(value)s tidak terbaca; tulis jenis=jumlah dipisah titik koma, misalnya "
            "sapi=2;unggas=10 (jenis: %(allowed)s)."
        ),
        "business": _(
            "Usaha %(value)s tidak terbaca; tulis bentuk/lapangan usaha/jumlah pekerja/omzet per "
            "bulan dengan kode, dipisah titik koma, misalnya 1/8/2/1500000 (bentuk 1–4, lapangan "
            "usaha 0–11)."
        ),
        "business_many": _("Paling banyak 20 usaha per keluarga."),
        "ppks_unknown": _(
            "PPKS harus nomor kategori 1–26 dipisah titik koma (misalnya 9;24); %(value)s "
            "tidak dikenal."
        ),
        "ppks_sensitive": _(
            "PPKS %(number)s (%(name)s) termasuk data sensitif dan hanya dapat dicatat oleh "
            "petugas yang berwenang."
        ),
        "ppks_age": _("%(cat)s berlaku untuk usia %(rule)s tahun; usia orang ini %(age)s tahun."),
        "ppks_sex": _("%(cat)s hanya berlaku untuk %(sex)s."),
    }


def _money(text: str) -> int | None:
    """Whole rupiah: ``1500000``, ``1.500.000``, ``Rp 1.500.000`` or Excel's ``1500000.0``."""
    text = text.strip()
    if text[:2].lower() == "rp":
        text = text[2:].strip().lstrip(".").strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.endswith(",00"):
        text = text[:-3]
    text = text.replace(".", "").replace(" ", "")
    return int(text) if text.isdigit() and text.isascii() else None


def _unescape(text: str) -> str:
    """Undo the export's protection against formulas: ``'=...`` was written for ``=...``."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _excel_serial(value: float, bad: str) -> tuple[date | None, str]:
    if value != value or value < 61 or value > 2958465:  # NaN, before March 1900, after 9999
        return None, bad
    return EXCEL_EPOCH + timedelta(days=int(value)), ""
