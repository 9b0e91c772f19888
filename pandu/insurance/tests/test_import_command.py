"""``manage.py import_premiums``: real CSV and XLSX files of premium payments. Every row read is
accepted, already recorded or rejected (nothing lost); each rejected row is in the report with
its row number and reason; the same file imported twice records nothing new; a missing or
unreadable file is a clear refusal in Bahasa Indonesia."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pandu.insurance.models import PremiumImport, PremiumPayment
from pandu.payments.spreadsheet import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["nomor_peserta", "jumlah", "tanggal_bayar", "cara_bayar", "referensi"]
COUNTS = re.compile(
    r"(\d+) baris dibaca, (\d+) diterima, (\d+) sudah tercatat sebelumnya, (\d+) ditolak"
)


def write(tmp_path: Path, kind: str, rows: list[list], name: str = "iuran") -> Path:
    path = tmp_path / f"{name}.{kind}"
    if kind == "xlsx":
        write_xlsx(path, HEADER, rows)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
    return path


def run(path: Path, **options) -> tuple[tuple[int, ...], str]:
    out = io.StringIO()
    call_command("import_premiums", str(path), stdout=out, **options)
    text = out.getvalue()
    found = COUNTS.search(text)
    assert found, text
    read, accepted, unchanged, rejected = (int(n) for n in found.groups())
    assert read == accepted + unchanged + rejected
    return (read, accepted, unchanged, rejected), text


def report_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def members(enrol):
    return enrol(), enrol()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_each_row_is_accepted_or_rejected_with_its_row_number_and_reason(members, tmp_path, kind):
    a, b = members
    path = write(
        tmp_path,
        kind,
        [
            [a.number, 10_400, "10-06-2026", "tunai", "KW-1"],
            [b.number, "sepuluh ribu", "10-06-2026", "tunai", "KW-2"],
            ["ASK-LKS01-999999", 10_400, "10-06-2026", "transfer", "TRF-3"],
            [b.number, 10_400, "31-02-2026", "transfer", "TRF-4"],
            [b.number, 10_400, "11-06-2026", "tunai", "KW-1"],
        ],
    )
    target = tmp_path / "ditolak.csv"
    counts, text = run(path, report=str(target))
    assert counts == (5, 1, 0, 4)
    assert f"Baris yang ditolak: {target}" in text
    rows = report_rows(target)
    assert rows[0][:2] == ["baris", "alasan"]
    reasons = {int(row[0]): row[1] for row in rows[1:]}
    assert set(reasons) == {3, 4, 5, 6}
    assert "Jumlah" in reasons[3]
    assert "Nomor peserta tidak dikenal" in reasons[4]
    assert "Tanggal bayar" in reasons[5]
    assert "baris 2" in reasons[6]
    payment = PremiumPayment.objects.get()
    assert payment.membership == a and payment.reference == "KW-1"
    batch = PremiumImport.objects.get()
    assert (batch.rows_read, batch.accepted, batch.rejected) == (5, 1, 4)
    assert payment.batch == batch


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_same_file_imported_twice_is_all_already_recorded(members, tmp_path, kind):
    a, b = members
    path = write(
        tmp_path,
        kind,
        [
            [a.number, 10_400, "10-06-2026", "transfer", "TRF-10"],
            [b.number, 20_800, "12-06-2026", "transfer", "TRF-11"],
        ],
    )
    first, _text = run(path)
    assert first == (2, 2, 0, 0)
    again, text = run(path)
    assert again == (2, 0, 2, 0)
    assert "Baris yang ditolak" not in text
    assert PremiumPayment.objects.count() == 2
    a.refresh_from_db()
    assert a.total_paid == 10_400


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_its_header_only_reads_no_rows(members, tmp_path, kind):
    counts, _text = run(write(tmp_path, kind, []))
    assert counts == (0, 0, 0, 0)
    assert not PremiumPayment.objects.exists()


def test_the_report_goes_next_to_the_import_when_none_is_named(members, tmp_path):
    path = write(tmp_path, "csv", [["ASK-LKS01-999999", 10_400, "10-06-2026", "tunai", "X"]])
    counts, text = run(path)
    assert counts == (1, 0, 0, 1)
    batch = PremiumImport.objects.get()
    assert batch.report and f"Baris yang ditolak: {batch.report.path}" in text
    assert report_rows(Path(batch.report.path))[1][0] == "2"


def test_one_provider_only_refuses_another_providers_members(members, other_provider, tmp_path):
    a, _b = members
    path = write(tmp_path, "csv", [[a.number, 10_400, "10-06-2026", "tunai", "KW-9"]])
    counts, _text = run(path, provider="YS02")
    assert counts == (1, 0, 0, 1)
    counts, _text = run(path, provider="lks01")
    assert counts == (1, 1, 0, 0)
    assert PremiumImport.objects.filter(provider__code="LKS01").count() == 1


def test_a_missing_file_an_unknown_provider_or_an_unreadable_file_is_refused_plainly(
    members, tmp_path
):
    with pytest.raises(CommandError, match="berkas tidak ada"):
        call_command("import_premiums", str(tmp_path / "tidak-ada.csv"))
    good = write(tmp_path, "csv", [])
    with pytest.raises(CommandError, match="Penyelenggara dengan kode ZZ9 tidak ada"):
        call_command("import_premiums", str(good), provider="ZZ9")
    with pytest.raises(CommandError, match="folder untuk laporan tidak ada"):
        call_command("import_premiums", str(good), report=str(tmp_path / "no" / "r.csv"))
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="kosong.csv"):
        call_command("import_premiums", str(empty))
    wrong = tmp_path / "salah.csv"
    wrong.write_text("nama;alamat\nBaso;Maros\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Kolom wajib tidak ditemukan"):
        call_command("import_premiums", str(wrong))
    picture = tmp_path / "foto.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(CommandError, match="foto.xlsx"):
        call_command("import_premiums", str(picture))
    assert not PremiumPayment.objects.exists()
