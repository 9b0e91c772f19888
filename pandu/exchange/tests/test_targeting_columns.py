"""The columns targeting reads: income and spending, land, assets, livestock, cards, businesses,
the breadwinner, the desil and its source, the collection date; per person the school level,
pregnancy, health insurance, phone and bank account. Each imports, is refused with its row and
reason when wrong, and an export imports again unchanged (the account masked without need)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from pandu.exchange.layout import EXPORT_COLUMNS
from pandu.registry.models import Household, Person

from .conftest import family, import_file, report_rows, write_csv

pytestmark = pytest.mark.django_db


def _targeting_rows() -> list[dict]:
    rows = family(1, 10)
    head, wife, child = rows
    head.update(
        income_monthly="Rp 1.500.000",
        expenditure_monthly="1200000",
        land_area="250",
        assets="tv;motorcycle",
        livestock="sapi=2;unggas=10",
        cards="kks;pkh",
        businesses="1/8/2/1500000;3/1/0/",
        collected_on="05-03-2025",
        desil="2",
        desil_source="dtsen",
        desil_reference="DTSEN 2025-01",
        breadwinner="Ya",
        phone="+62 812-3456-7890",
        bank_name="BRI",
        bank_account="0123-4567-8901",
        health_insurance="1",
    )
    wife.update(
        pregnant="1", pregnancy_months="5", health_insurance="PBI-JK (iuran dibayar pemerintah)"
    )
    child.update(school_level="3", health_insurance="0")
    return rows


def _import(user, tmp_path, rows, name="targeting.csv"):
    return import_file(user, write_csv(tmp_path / name, rows, columns=EXPORT_COLUMNS))


def test_every_targeting_column_imports(personas, tmp_path):
    batch = _import(personas["admin_maros"], tmp_path, _targeting_rows())
    assert (batch.created, batch.rejected) == (3, 0), report_rows(batch)
    head = Person.objects.get(relationship=1, full_name="Muhammad Rahman 10")
    hh = head.household
    assert hh.income_monthly == 1_500_000 and hh.expenditure_monthly == 1_200_000
    assert hh.land_area == 250 and hh.collected_on == date(2025, 3, 5)
    assert hh.assets == ["tv", "motorcycle"] and hh.cards == ["kks", "pkh"]
    assert hh.livestock == {"sapi": 2, "unggas": 10}
    assert (hh.desil, hh.desil_source, hh.desil_reference) == (2, "dtsen", "DTSEN 2025-01")
    assert hh.breadwinner_id == head.pk and hh.has_business
    assert [(b.kind, b.sector, b.workers, b.turnover_monthly) for b in hh.businesses.all()] == [
        (1, 8, 2, 1_500_000),
        (3, 1, 0, None),
    ]
    assert (head.phone, head.bank_name, head.bank_account) == (
        "081234567890",
        "BRI",
        "012345678901",
    )
    wife = hh.members.get(relationship=2)
    assert wife.pregnant and wife.pregnancy_months == 5 and wife.health_insurance == 1
    assert hh.members.get(relationship=3).school_level == 3


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (0, "income_monthly", "satu juta", "jumlah rupiah"),
        (0, "assets", "tv;pesawat", "pesawat tidak dikenal"),
        (0, "livestock", "sapi", "jenis=jumlah"),
        (0, "cards", "kks;atm", "atm tidak dikenal"),
        (0, "businesses", "9/8/2/100", "Usaha 9/8/2/100 tidak terbaca"),
        (0, "collected_on", "kemarin", "tidak dapat dibaca sebagai tanggal"),
        (0, "desil", "11", "bilangan bulat 1–10"),
        (0, "desil_source", "tebakan", "kode tebakan tidak dikenal"),
        (0, "phone", "12345", "Nomor telepon"),
        (0, "bank_account", "rek-abc", "Nomor rekening"),
        (0, "breadwinner", "mungkin", "1/0 atau Ya/Tidak"),
        (0, "pregnant", "1", "hanya untuk perempuan"),
        (1, "pregnancy_months", "12", "1–10"),
        (2, "health_insurance", "9", "kode 9 tidak dikenal"),
        (2, "school_level", "8", "kode 8 tidak dikenal"),
    ],
)
def test_a_bad_value_is_refused_with_its_row_and_reason(
    personas, tmp_path, row, column, value, reason
):
    rows = _targeting_rows()
    rows[row][column] = value
    batch = _import(personas["admin_maros"], tmp_path, rows)
    report = report_rows(batch)
    assert batch.rejected >= 1
    line = next(r for r in report if r["baris"] == str(row + 2))  # the header is row 1
    assert reason in line["alasan"], report


def test_pregnancy_months_without_pregnancy_is_refused(personas, tmp_path):
    rows = _targeting_rows()
    rows[1]["pregnant"] = "0"
    batch = _import(personas["admin_maros"], tmp_path, rows)
    assert any(
        "hanya diisi untuk orang yang sedang hamil" in r["alasan"] and r["baris"] == "3"
        for r in report_rows(batch)
    )


def test_two_breadwinners_in_one_family_are_refused(personas, tmp_path):
    rows = _targeting_rows()
    rows[1]["breadwinner"] = "Ya"
    batch = _import(personas["admin_maros"], tmp_path, rows)
    assert batch.created == 0
    assert any("satu keluarga hanya boleh satu nilai" in r["alasan"] for r in report_rows(batch))


def _export(client, user, fmt="csv"):
    client.force_login(user)
    response = client.get(reverse("exchange:export_persons"), {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_export_writes_the_columns_and_imports_again_unchanged(client, personas, tmp_path):
    admin = personas["admin_maros"]
    _import(admin, tmp_path, _targeting_rows())
    body = _export(client, admin)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    head = next(r for r in rows if r["relationship"] == "1")
    assert head["businesses"] == "1/8/2/1500000;3/1/0/"
    assert head["assets"] == "tv;motorcycle" and head["livestock"] == "sapi=2;unggas=10"
    assert head["breadwinner"] == "1" and head["bank_account"] == "012345678901"
    assert head["collected_on"] == "05-03-2025" and head["desil"] == "2"
    path = tmp_path / "ekspor.csv"
    path.write_bytes(body)
    again = import_file(admin, path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert Household.objects.get().businesses.count() == 2


def test_a_changed_business_and_breadwinner_are_written_on_reimport(personas, tmp_path):
    admin = personas["admin_maros"]
    _import(admin, tmp_path, _targeting_rows())
    rows = _targeting_rows()
    rows[0]["businesses"] = "2/10/1/800000"
    rows[0]["breadwinner"] = "Tidak"
    rows[1]["breadwinner"] = "Ya"
    _import(admin, tmp_path, rows, name="kedua.csv")
    hh = Household.objects.get()
    assert [(b.kind, b.sector) for b in hh.businesses.all()] == [(2, 10)]
    assert hh.breadwinner.relationship == 2


def test_the_account_is_masked_for_a_role_without_need_and_kept_on_reimport(
    client, personas, tmp_path
):
    operator = personas["operator_lappara"]
    _import(personas["admin_maros"], tmp_path, _targeting_rows())
    body = _export(client, operator)
    head = next(
        r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig"))) if r["relationship"] == "1"
    )
    assert head["bank_account"] == "********8901"
    assert b"012345678901" not in body
    path = tmp_path / "ekspor-operator.csv"
    path.write_bytes(body)
    again = import_file(operator, path)
    assert again.rejected == 0 and again.updated == 0
    assert Person.objects.get(relationship=1).bank_account == "012345678901"
