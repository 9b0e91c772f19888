"""The file layouts of payments (documented in docs/payments.md; a test holds the two to each
other): the payment list of each channel, and the reconciliation file the channel sends back.

Every payment list starts with the two key columns of the reconciliation, ``siklus`` (the
cycle's ID) and ``penerima`` (the family's KK number, or a group's ID), so the bank, PT Pos or
the e-warong can return the list itself with ``status``, ``tanggal``, ``referensi`` and
``alasan`` filled in (``nominal`` stays: the amount paid). Columns the import does not know are
ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import Channel


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # a lazy translation


KEY = [
    Column("siklus", _("ID siklus (UUID). Baris bayar ulang membawa ID siklus asalnya.")),
    Column("penerima", _("Nomor KK keluarga (16 angka), atau ID kelompok (UUID).")),
    Column("jenis", _("reguler, atau susulan (bayar ulang dari siklus sebelumnya).")),
]
RECIPIENT = [
    Column("nik_penerima", _("NIK penerima manfaat (kosong untuk kelompok).")),
    Column("nama_penerima", _("Nama penerima manfaat, atau nama kelompok.")),
]
PLACE = [
    Column("kode_desa", _("Kode desa/kelurahan (Kepmendagri).")),
    Column("desa", _("Nama desa/kelurahan.")),
]
AMOUNT = [
    Column("nominal", _("Nilai yang dibayarkan, rupiah tanpa pemisah ribuan.")),
    Column("komponen", _("Rincian komponen: KODE×jumlah jiwa, dipisah titik koma.")),
]

LAYOUTS: dict[str, list[Column]] = {
    Channel.BANK: [
        *KEY,
        Column("bank", _("Bank penyalur (Himbara) rekening KKS atau rekening kelompok/desa.")),
        Column("no_rekening", _("Nomor rekening KKS atau rekening kelompok/desa.")),
        Column("nama_rekening", _("Nama pemilik rekening.")),
        *RECIPIENT,
        *PLACE,
        *AMOUNT,
    ],
    Channel.POS: [
        *KEY,
        *RECIPIENT,
        Column("alamat", _("Alamat (jalan/dusun).")),
        Column("rt", _("RT.")),
        Column("rw", _("RW.")),
        *PLACE,
        Column("kecamatan", _("Nama kecamatan.")),
        *AMOUNT,
    ],
    Channel.EWARONG: [*KEY, *RECIPIENT, *PLACE, *AMOUNT],
}

#: The reconciliation file: the key columns, then what the channel reports.
RECONCILIATION: list[Column] = [
    Column("siklus", _("ID siklus (UUID), seperti di daftar bayar.")),
    Column("penerima", _("Nomor KK (16 angka) atau ID kelompok, seperti di daftar bayar.")),
    Column("status", _("dibayar, gagal atau dikembalikan (paid, failed, returned juga dibaca).")),
    Column("nominal", _("Nilai yang dibayarkan; harus sama dengan nilai hak.")),
    Column("tanggal", _("Tanggal bayar/gagal/kembali: DD-MM-YYYY, DD/MM/YYYY atau YYYY-MM-DD.")),
    Column("referensi", _("Nomor referensi transaksi dari penyalur; dipakai sekali saja.")),
    Column("alasan", _("Alasan gagal atau dikembalikan (wajib untuk keduanya).")),
]
REQUIRED = ("siklus", "penerima", "status", "nominal", "tanggal", "referensi")
#: Other names a column is read under (a channel's own headings).
ALIASES = {
    "no_kk": "penerima",
    "nomor_kk": "penerima",
    "id_siklus": "siklus",
    "nilai": "nominal",
    "jumlah": "nominal",
    "amount": "nominal",
    "date": "tanggal",
    "tanggal_bayar": "tanggal",
    "reference": "referensi",
    "no_referensi": "referensi",
    "reason": "alasan",
    "keterangan": "alasan",
}
STATUS_WORDS = {
    "dibayar": "dibayar",
    "paid": "dibayar",
    "berhasil": "dibayar",
    "sukses": "dibayar",
    "gagal": "gagal",
    "failed": "gagal",
    "dikembalikan": "dikembalikan",
    "returned": "dikembalikan",
    "retur": "dikembalikan",
}


def headers(channel: str) -> list[str]:
    return [c.name for c in LAYOUTS[channel]]
