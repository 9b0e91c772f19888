"""Payment lists per channel, in the documented layouts, as CSV and XLSX (file and stream)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from pandu.payments import actions, exports, layouts
from pandu.payments.models import Entitlement
from pandu.registry.models import Person

from .helpers import CHILD_NO_ACCOUNT, ELDERLY_WITH_ACCOUNT, approved_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_and_families(personas, pkh, maros, bulk_families, enrol):
    return approved_cycle(
        personas, pkh, maros, bulk_families, enrol, [ELDERLY_WITH_ACCOUNT, CHILD_NO_ACCOUNT]
    )


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def test_the_bank_list_holds_the_families_with_a_kks_account(cycle_and_families):
    cycle, (elderly, child) = cycle_and_families
    rows = _csv(b"".join(exports.stream(cycle, "bank", "csv")))
    assert rows[0] == layouts.headers("bank")
    assert rows[1:] == [[
        str(cycle.uid), elderly.kk_number, "reguler", "BRI", "0012345678901", "Orang 1-0",
        "73000000001" + "00000", "Orang 1-0", "73.09.13.2003", "Moncongloe Lappara", "600000",
        "LANSIA_70×1",
    ]]  # fmt: skip


def test_the_post_office_list_holds_the_others_with_their_address(cycle_and_families):
    cycle, (_elderly, child) = cycle_and_families
    rows = _csv(b"".join(exports.stream(cycle, "pos", "csv")))
    assert rows[0] == layouts.headers("pos")
    (row,) = rows[1:]
    record = dict(zip(rows[0], row, strict=True))
    assert record["penerima"] == child.kk_number and record["nominal"] == "750000"
    assert record["kecamatan"] == "Moncongloe" and record["rt"] == "1"
    assert record["komponen"] == "ANAK_USIA_DINI×1"
    assert _csv(b"".join(exports.stream(cycle, "ewarong", "csv"))) == [layouts.headers("ewarong")]


def test_a_name_that_looks_like_a_formula_is_defused(cycle_and_families):
    cycle, (elderly, _child) = cycle_and_families
    Person.objects.filter(household=elderly).update(full_name="=HYPERLINK(1)")
    rows = _csv(b"".join(exports.stream(cycle, "bank", "csv")))
    assert rows[1][5] == "'=HYPERLINK(1)"


def test_the_xlsx_list_reads_back_with_the_same_cells(cycle_and_families, tmp_path):
    cycle, _families = cycle_and_families
    path = tmp_path / "bank.xlsx"
    assert exports.write(cycle, "bank", "xlsx", path) == 1
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    as_csv = _csv(b"".join(exports.stream(cycle, "bank", "csv")))
    assert sheet[0] == as_csv[0]
    assert [str(int(v)) if isinstance(v, float) else v for v in sheet[1]] == as_csv[1]
    streamed = b"".join(exports.stream(cycle, "bank", "xlsx"))
    assert streamed[:2] == b"PK"


def test_only_an_approved_open_cycle_has_payment_lists(personas, pkh, maros, tmp_path):
    cycle = actions.create_cycle(
        personas["admin_maros"],
        programme=pkh,
        area=maros,
        period_start=date(2026, 4, 1),
    )
    with pytest.raises(ValidationError, match="sudah disetujui Kepala"):
        exports.write(cycle, "bank", "csv", tmp_path / "x.csv")
    with pytest.raises(ValidationError, match="Saluran 'giro' tidak dikenal"):
        exports.check_exportable(cycle, "giro")


def test_held_entitlements_are_left_out_until_approved(personas, pkh, maros, bulk_families, enrol):
    families = bulk_families([ELDERLY_WITH_ACCOUNT, ELDERLY_WITH_ACCOUNT])
    for family in families:
        enrol(family, pkh)
    admin = personas["admin_maros"]
    cycle = actions.create_cycle(admin, programme=pkh, area=maros, period_start=date(2026, 1, 1))
    actions.compute_cycle(admin, cycle)
    held = Entitlement.objects.get(cycle=cycle, household=families[1])
    actions.hold_entitlement(admin, held, "periksa rekening")
    actions.approve_cycle_dinas(admin, cycle)
    cycle = actions.approve_cycle_head(personas["head"], cycle)
    assert exports.count(cycle, "bank") == 1
    actions.approve_entitlement(admin, held)
    assert exports.count(cycle, "bank") == 2


def test_the_command_writes_the_list_named_by_its_extension(cycle_and_families, tmp_path):
    cycle, _families = cycle_and_families
    out = io.StringIO()
    target = tmp_path / "pos.csv"
    call_command("export_payments", cycle=str(cycle.uid), channel="pos", out=str(target),
                 stdout=out)  # fmt: skip
    assert "1 baris daftar bayar pos" in out.getvalue()
    assert _csv(target.read_bytes())[0] == layouts.headers("pos")
    with pytest.raises(Exception, match="akhiran .csv atau .xlsx"):
        call_command("export_payments", cycle=str(cycle.uid), channel="pos",
                     out=str(tmp_path / "x.pdf"))  # fmt: skip
