"""Reading what offices send: delimiters, byte-order marks, encodings, other column names."""

from __future__ import annotations

import codecs

import pytest

from pandu.exchange import actions
from pandu.exchange.layout import CORE_COLUMNS, suggest_mapping
from pandu.exchange.models import ColumnMapping
from pandu.exchange.readers import inspect_file, sniff_delimiter
from pandu.registry.models import Person

from .conftest import family, import_file, report_rows, write_csv

OFFICE_HEADERS = [
    "NO KK", "NIK", "NAMA", "JENIS KELAMIN", "TEMPAT LAHIR", "TGL LAHIR", "SHDK",
    "STATUS KAWIN", "KODE DESA", "RT", "RW", "ALAMAT",
]  # fmt: skip


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter):
    text = delimiter.join(["nik", "nama, lengkap", "alamat"]) + "\n"
    text += delimiter.join(["7309135705800001", "Siti", "Jl. Poros; Km 3"]) + "\n"
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16", b""), ("cp1252", b"")],
)
def test_encodings_and_byte_order_marks(tmp_path, encoding, bom):
    path = tmp_path / "x.csv"
    body = "nik;nama;alamat\r\n7309135705800001;Andr\u00e9;Jl. \u201cMawar\u201d\r\n"
    path.write_bytes(bom + body.encode(encoding))
    info = inspect_file(path)
    assert info.headers == ["nik", "nama", "alamat"]  # no BOM glued to the first header
    assert info.sample == [["7309135705800001", "Andr\u00e9", "Jl. \u201cMawar\u201d"]]
    assert info.encoding == {"utf-8": "utf-8", "utf-16": "utf-16", "cp1252": "cp1252"}[encoding]


def test_usual_indonesian_headers_are_recognised():
    mapping = suggest_mapping(OFFICE_HEADERS + ["Keterangan"])
    assert mapping == {name: i for i, name in enumerate(CORE_COLUMNS[:12])}
    assert suggest_mapping(["No. KK", "N I K"])["kk_number"] == 0


@pytest.mark.django_db
def test_a_mapping_saved_once_is_reused_by_the_office(personas, tmp_path):
    rows = family(1, 10)
    headers = ["Nomor Kartu", "No Induk", "Nama Warga", "L/P", "Lahir di", "Lahir tgl", "Hub",
               "Kawin", "Desa", "RT", "RW", "Jalan/Dusun"]  # fmt: skip
    path = write_csv(tmp_path / "desa.csv", rows, columns=CORE_COLUMNS[:12], header=headers)
    admin = personas["admin_maros"]
    batch = actions.create_import(admin, source=path)
    assert "kk_number" not in batch.mapping and batch.mapping["sex"] == 3
    mapping = {name: i for i, name in enumerate(CORE_COLUMNS[:12])}
    actions.start_import(admin, batch, mapping, save_as="Format desa Lappara")
    saved = ColumnMapping.objects.get(name="Format desa Lappara")
    assert saved.columns["kk_number"] == "nomor kartu" and saved.area_code == "73.09"

    from pandu.accounts.models import User
    from pandu.exchange.queries import mappings_for

    colleague = User.objects.create_user("staf_dinsos", role="admin", area_id="73.09")
    assert list(mappings_for(colleague)) == [saved]
    assert not mappings_for(personas["admin_makassar"]).exists()
    again = actions.create_import(colleague, source=path, mapping=saved)
    assert again.mapping == mapping


@pytest.mark.django_db
def test_rows_are_numbered_as_the_spreadsheet_shows_them(personas, tmp_path):
    rows = family(1, 10) + family(2, 20)
    rows[4]["sex"] = "X"
    path = write_csv(tmp_path / "r.csv", rows)
    text = path.read_text(encoding="utf-8")
    path.write_text("Data DTKS Desa Lappara,,,\r\n" + text, encoding="utf-8")  # a title row
    batch = import_file(personas["admin_maros"], path)
    assert batch.header_row == 2
    report = report_rows(batch)
    assert [(r["baris"], r["kolom"]) for r in report] == [("7", "sex (D)")]
    assert "harus L (laki-laki) atau P (perempuan)" in report[0]["alasan"]
    assert Person.objects.count() == 5
