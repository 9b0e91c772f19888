"""The reconciliation import: outcomes recorded, bad rows rejected with their row number and
reason (accepted + rejected = rows read, nothing else changed), a file imported twice changing
nothing, never a second payment of a family for one cycle, failed payments carried into the
next cycle's list, returned funds deposited to the treasury."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from pandu.payments import actions, exports
from pandu.payments.models import Entitlement, Payment
from pandu.payments.spreadsheet import write_xlsx

from .helpers import CHILD_NO_ACCOUNT, ELDERLY_WITH_ACCOUNT, approved_cycle

pytestmark = pytest.mark.django_db

HEADER = ["siklus", "penerima", "status", "nominal", "tanggal", "referensi", "alasan"]


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def world(personas, pkh, maros, bulk_families, enrol):
    cycle, families = approved_cycle(
        personas, pkh, maros, bulk_families, enrol,
        [ELDERLY_WITH_ACCOUNT, ELDERLY_WITH_ACCOUNT, CHILD_NO_ACCOUNT],
    )  # fmt: skip
    (outsider,) = bulk_families([ELDERLY_WITH_ACCOUNT])
    return cycle, families, outsider


def write(tmp_path: Path, rows: list[list], name: str = "hasil.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def report(batch) -> list[list[str]]:
    with open(batch.report_path, encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))[1:]


def _import(personas, path):
    return actions.start_reconciliation(personas["admin_maros"], path)


def test_paid_failed_and_returned_are_recorded(world, personas, tmp_path):
    cycle, (a, b, c), _outsider = world
    u = str(cycle.uid)
    batch = _import(personas, write(tmp_path, [
        [u, a.kk_number, "dibayar", "600.000", "15-02-2026", "BRI-0001", ""],
        [u, b.kk_number, "gagal", "600000", "2026-02-15", "BRI-0002", "rekening tidak aktif"],
        [u, c.kk_number, "returned", "750000", "20/03/2026", "POS-0001", "KPM pindah"],
    ]))  # fmt: skip
    assert (batch.status, batch.rows_read, batch.recorded, batch.rejected) == ("selesai", 3, 3, 0)
    assert batch.outcomes == {"dibayar": 1, "gagal": 1, "dikembalikan": 1}
    statuses = dict(Entitlement.objects.filter(cycle=cycle).values_list("household", "status"))
    assert statuses == {a.pk: "dibayar", b.pk: "gagal", c.pk: "dikembalikan"}
    paid = Payment.objects.get(reference="BRI-0001")
    assert paid.amount == 600_000 and paid.paid_on == date(2026, 2, 15) and paid.row_number == 2
    cycle.refresh_from_db()
    assert cycle.figures["dibayar"] == 1 and cycle.figures["returned_open_amount"] == 750_000
    assert report(batch) == []


def test_bad_rows_are_rejected_with_their_row_and_reason_and_change_nothing(
    world, personas, tmp_path
):
    cycle, (a, b, c), outsider = world
    u = str(cycle.uid)
    batch = _import(personas, write(tmp_path, [
        [u, outsider.kk_number, "dibayar", "600000", "15-02-2026", "R1", ""],
        [u, a.kk_number, "dibayar", "500000", "15-02-2026", "R2", ""],
        [u, b.kk_number, "dibayar", "600000", "15-02-2027", "R3", ""],
        [u, c.kk_number, "dibayar", "750000", "15-02-2026", "R4", ""],
        [u, a.kk_number, "dibayar", "600000", "16-02-2026", "R4", ""],
        [u, b.kk_number, "gagal", "600000", "15-02-2026", "R5", ""],
        [u, b.kk_number, "dibayar", "enam ratus", "15-02-2026", "R6", ""],
        [u, "7.30913E+15", "dibayar", "600000", "15-02-2026", "R7", ""],
        ["bukan-uuid", a.kk_number, "dibayar", "600000", "15-02-2026", "R8", ""],
        ["", "", "", "", "", "", ""],
        [u, c.kk_number, "dibayar", "750000", "16-02-2026", "R9", ""],
    ]))  # fmt: skip
    assert batch.rows_read == 10 and batch.recorded + batch.unchanged + batch.rejected == 10
    assert batch.recorded == 1  # row 5 (R4 for the pos family)
    reasons = {int(row[0]): row[1] for row in report(batch)}
    assert reasons == {
        2: f"Penerima {outsider.kk_number} tidak ada dalam siklus ini.",
        3: "Nominal 500.000 berbeda dengan nilai hak 600.000.",
        4: "Tanggal 15-02-2027 di luar periode siklus (01-01-2026 s.d. 31-03-2026).",
        6: "Referensi R4 sudah dipakai di baris 5 berkas ini.",
        7: "Alasan wajib diisi untuk pembayaran gagal atau dikembalikan.",
        8: "Nominal tidak terbaca sebagai rupiah utuh.",
        9: "Nomor KK tampil sebagai angka ilmiah (7.30913E+15) dan kehilangan angka; simpan "
        "kolom penerima sebagai teks.",
        10: "ID siklus kosong atau tidak sah.",
        12: "Penerima yang sama sudah ada di baris 5 berkas ini.",
    }
    assert list(Payment.objects.values_list("reference", flat=True)) == ["R4"]
    statuses = dict(Entitlement.objects.filter(cycle=cycle).values_list("household", "status"))
    assert statuses == {a.pk: "disetujui", b.pk: "disetujui", c.pk: "dibayar"}


def test_importing_the_same_file_again_changes_nothing(world, personas, tmp_path):
    cycle, (a, b, c), outsider = world
    u = str(cycle.uid)
    path = write(tmp_path, [
        [u, a.kk_number, "dibayar", "600000", "15-02-2026", "BRI-1", ""],
        [u, b.kk_number, "gagal", "600000", "15-02-2026", "BRI-2", "rekening ditutup"],
        [u, outsider.kk_number, "dibayar", "600000", "15-02-2026", "BRI-3", ""],
        [u, a.kk_number, "dibayar", "600000", "15-02-2026", "BRI-1", ""],
    ])  # fmt: skip
    first = _import(personas, path)
    before = (
        list(Payment.objects.order_by("id").values_list("id", "reference", "status")),
        list(Entitlement.objects.order_by("id").values_list("id", "status")),
    )
    second = _import(personas, path)
    after = (
        list(Payment.objects.order_by("id").values_list("id", "reference", "status")),
        list(Entitlement.objects.order_by("id").values_list("id", "status")),
    )
    assert before == after
    assert (first.recorded, first.unchanged, first.rejected) == (2, 0, 2)
    assert (second.recorded, second.unchanged, second.rejected) == (0, 2, 2)
    assert [r[:2] for r in report(first)] == [r[:2] for r in report(second)]


def test_a_family_is_never_paid_twice_for_one_cycle(world, personas, tmp_path):
    cycle, (a, _b, _c), _outsider = world
    u = str(cycle.uid)
    _import(personas, write(tmp_path, [[u, a.kk_number, "dibayar", "600000", "15-02-2026",
                                        "BRI-1", ""]], "1.csv"))  # fmt: skip
    again = _import(personas, write(tmp_path, [[u, a.kk_number, "dibayar", "600000",
                                                "16-02-2026", "BRI-9", ""]], "2.csv"))  # fmt: skip
    assert again.recorded == 0 and again.rejected == 1
    assert report(again)[0][1] == (
        "Penerima ini sudah dibayar untuk siklus ini; tidak dibayar dua kali."
    )
    entitlement = Entitlement.objects.get(cycle=cycle, household=a)
    base = {
        "entitlement": entitlement,
        "cycle": cycle,
        "household": a,
        "area_code": "x",
        "amount": 600_000,
        "paid_on": date(2026, 2, 17),
        "recorded_at": cycle.created_at,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(status="dibayar", reference="BRI-X", **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(status="gagal", reference="BRI-1", **base)  # reference once
    Payment.objects.create(status="gagal", reference="BRI-Y", **base)  # a failure is no payment


def test_a_cycle_not_approved_or_outside_the_area_takes_no_rows(
    world, personas, pkh, maros, tmp_path
):
    cycle, (a, _b, _c), _outsider = world
    draft = actions.create_cycle(
        personas["admin_maros"], programme=pkh, area=maros, period_start=date(2026, 4, 1)
    )
    path = write(tmp_path, [
        [str(draft.uid), a.kk_number, "dibayar", "600000", "15-04-2026", "R1", ""],
        [str(cycle.uid), a.kk_number, "dibayar", "600000", "15-02-2026", "R2", ""],
    ])  # fmt: skip
    batch = _import(personas, path)
    assert (
        report(batch)[0][1]
        == f"Siklus {draft.name} belum disetujui Kepala; belum ada yang dibayar."
    )
    elsewhere = actions.start_reconciliation(personas["admin_makassar"], path)
    assert elsewhere.recorded == 0 and elsewhere.rejected == 2
    assert "tidak dikenal atau di luar wilayah Anda" in report(elsewhere)[1][1]


def test_a_file_without_the_required_columns_fails_with_their_names(world, personas, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("siklus;penerima;nominal\n1;2;3\n", encoding="utf-8")
    batch = _import(personas, path)
    assert batch.status == "gagal"
    assert batch.message.startswith("Kolom wajib tidak ditemukan: status, tanggal, referensi.")


def test_a_workbook_returned_by_the_bank_is_read(world, personas, tmp_path):
    cycle, (a, _b, _c), _outsider = world
    path = tmp_path / "bank.xlsx"
    listed = list(exports.rows(cycle, "bank"))
    head = [*__import__("pandu.payments.layouts", fromlist=["headers"]).headers("bank"),
            "status", "tanggal", "referensi", "alasan"]  # fmt: skip
    write_xlsx(path, head, [[*r, "dibayar", "15-02-2026", f"BRI-{i}", ""]
                            for i, r in enumerate(listed)])  # fmt: skip
    batch = _import(personas, path)
    assert (batch.rows_read, batch.recorded, batch.rejected) == (2, 2, 0)


def test_failed_payments_are_carried_into_the_next_cycles_list(
    world, personas, pkh, maros, tmp_path
):
    cycle, (a, b, _c), _outsider = world
    u = str(cycle.uid)
    _import(personas, write(tmp_path, [
        [u, b.kk_number, "gagal", "600000", "15-02-2026", "BRI-2", "rekening tidak aktif"],
    ], "t1.csv"))  # fmt: skip
    admin, head = personas["admin_maros"], personas["head"]
    following = actions.create_cycle(admin, programme=pkh, area=maros,
                                     period_start=date(2026, 4, 1))  # fmt: skip
    actions.compute_cycle(admin, following)
    actions.approve_cycle_dinas(admin, following)
    following = actions.approve_cycle_head(head, following)
    assert actions.waiting_retries(following).count() == 1
    assert actions.schedule_retries(admin, following) == 1
    assert actions.schedule_retries(admin, following) == 0
    rows = [r for r in exports.rows(following, "bank") if r[1] == b.kk_number]
    assert [r[:3] for r in rows] == [[str(following.uid), b.kk_number, "reguler"],
                                     [u, b.kk_number, "susulan"]]  # fmt: skip
    batch = _import(personas, write(tmp_path, [
        [u, b.kk_number, "dibayar", "600000", "10-05-2026", "BRI-22", ""],
    ], "t2.csv"))  # fmt: skip
    assert batch.recorded == 1
    assert Entitlement.objects.get(cycle=cycle, household=b).status == "dibayar"
    assert not [r for r in exports.rows(following, "bank") if r[2] == "susulan"]


def test_returned_funds_are_deposited_to_the_treasury_in_full(world, personas, tmp_path):
    cycle, (a, _b, c), _outsider = world
    u = str(cycle.uid)
    _import(personas, write(tmp_path, [
        [u, a.kk_number, "dibayar", "600000", "15-02-2026", "BRI-1", ""],
    ], "paid.csv"))  # fmt: skip
    # Later, the bank returns what was not drawn from the account; PT Pos what it could not pay.
    _import(personas, write(tmp_path, [
        [u, a.kk_number, "dikembalikan", "600000", "20-03-2026", "BRI-1R", "tidak ditarik"],
        [u, c.kk_number, "dikembalikan", "750000", "20-03-2026", "POS-1R", "KPM meninggal"],
    ], "returned.csv"))  # fmt: skip
    assert Entitlement.objects.get(cycle=cycle, household=a).status == "dikembalikan"
    admin = personas["admin_maros"]
    with pytest.raises(ValidationError, match="Rp1.350.000"):
        actions.record_treasury_return(admin, cycle, returned_on=date(2026, 4, 2),
                                       reference="NTPN-1", amount="1.000.000")  # fmt: skip
    deposit = actions.record_treasury_return(
        admin, cycle, returned_on=date(2026, 4, 2), reference="NTPN-1", amount="1.350.000"
    )
    assert deposit.amount == 1_350_000 and deposit.payments.count() == 2
    cycle.refresh_from_db()
    assert cycle.figures["returned_open"] == 0 and cycle.figures["deposited_amount"] == 1_350_000
    with pytest.raises(ValidationError, match="Tidak ada dana dikembalikan"):
        actions.record_treasury_return(admin, cycle, returned_on=date(2026, 4, 2),
                                       reference="NTPN-2", amount=0)  # fmt: skip


def test_the_command_imports_and_writes_the_report_where_asked(world, tmp_path):
    cycle, (a, _b, _c), outsider = world
    u = str(cycle.uid)
    path = write(tmp_path, [
        [u, a.kk_number, "dibayar", "600000", "15-02-2026", "BRI-1", ""],
        [u, outsider.kk_number, "dibayar", "600000", "15-02-2026", "BRI-2", ""],
    ])  # fmt: skip
    out = io.StringIO()
    target = tmp_path / "ditolak.csv"
    call_command("import_reconciliation", str(path), report=str(target), stdout=out)
    assert "2 baris dibaca, 1 dicatat, 0 sudah tercatat sebelumnya, 1 ditolak" in out.getvalue()
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["baris", "alasan"] and rows[1][0] == "3"


def test_every_key_written_in_bulk_names_a_row_and_paid_cycles_are_not_recomputed(
    world, personas, tmp_path
):
    """The entitlement and payment keys carry no database constraint: what the computation and
    the import write names existing rows, and a cycle with payments keeps its entitlements."""
    from pandu.payments.models import Cycle
    from pandu.payments.queries import dangling_keys

    cycle, (a, b, _c), _outsider = world
    u = str(cycle.uid)
    _import(personas, write(tmp_path, [
        [u, a.kk_number, "dibayar", "600000", "15-02-2026", "BRI-0001", ""],
        [u, b.kk_number, "gagal", "600000", "15-02-2026", "BRI-0002", "rekening tidak aktif"],
    ]))  # fmt: skip
    found = dangling_keys()
    assert len(found) == 12 and set(found.values()) == {0}, found
    # A key naming nothing is counted (the check can fail).
    Payment.objects.filter(reference="BRI-0002").update(household_id=10**9)
    assert dangling_keys()["payment.household_id"] == 1
    # Even forced back to "computed", a cycle with payments is not computed again.
    Cycle.objects.filter(pk=cycle.pk).update(status="dihitung")
    before = set(Entitlement.objects.filter(cycle=cycle).values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="sudah punya pembayaran"):
        actions.compute_cycle(personas["admin_maros"], Cycle.objects.get(pk=cycle.pk))
    assert set(Entitlement.objects.filter(cycle=cycle).values_list("pk", flat=True)) == before
