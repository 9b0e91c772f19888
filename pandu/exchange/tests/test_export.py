"""Exports: the list filters, the user's area, need-to-know PPKS, formula-safe cells, the import
layout (so the file imports again unchanged), and a line in the access log."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from pandu.conftest import BULU, LAPPARA
from pandu.core import jobs
from pandu.core.models import AccessLog, Job
from pandu.exchange import exporter
from pandu.exchange.importer import jobs_dir
from pandu.exchange.layout import EXPORT_COLUMNS
from pandu.registry import actions as registry
from pandu.registry.models import Person, PPKSCategory

from .conftest import family, import_file, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_data(personas, tmp_path):
    rows = family(1, 10) + family(2, 20, size=2) + family(3, 30, village=BULU)
    rows[0]["ppks"] = "9;24"
    rows[1]["ppks"] = "16"  # sensitive: need-to-know only
    import_file(personas["admin_maros"], write_csv(tmp_path / "awal.csv", rows))
    return rows


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_export_is_in_the_import_layout_and_imports_again_unchanged(
    client, personas, registry_data, tmp_path
):
    client.force_login(personas["admin_maros"])
    response = client.get(reverse("exchange:export_persons"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf" + ",".join(EXPORT_COLUMNS).encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 8
    head = next(r for r in rows if r["nik"] == registry_data[0]["nik"])
    assert head["birth_date"] == "17-05-1980" and head["ppks"] == "9;24"
    assert head["kk_number"] == registry_data[0]["kk_number"] and head["village_code"]
    # A family's rows stay together, the head first.
    kks = [r["kk_number"] for r in rows]
    assert kks == sorted(kks, key=kks.index) and rows[0]["relationship"] == "1"

    path = tmp_path / "ekspor.csv"
    path.write_bytes(body)
    again = import_file(personas["admin_maros"], path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 8, 0)


def test_sensitive_ppks_are_left_out_for_roles_without_need_to_know(
    client, personas, registry_data
):
    wife = registry_data[1]["nik"]
    client.force_login(personas["tksk_moncongloe"])
    rows = _csv(client.get(reverse("exchange:export_persons"), {"format": "csv"}))
    assert next(r for r in rows if r["nik"] == wife)["ppks"] == ""
    client.force_login(personas["social_worker"])
    rows = _csv(client.get(reverse("exchange:export_persons"), {"format": "csv"}))
    assert next(r for r in rows if r["nik"] == wife)["ppks"] == "16"


def test_export_is_scoped_to_the_users_area_and_filtered_like_the_list(
    client, personas, registry_data
):
    client.force_login(personas["operator_bulu"])
    rows = _csv(client.get(reverse("exchange:export_persons"), {"format": "csv"}))
    assert {r["village_code"] for r in rows} == {BULU} and len(rows) == 3
    client.force_login(personas["admin_maros"])
    rows = _csv(client.get(reverse("exchange:export_persons"), {"format": "csv", "sex": "P"}))
    assert {r["sex"] for r in rows} == {"P"} and len(rows) == 5
    rows = _csv(client.get(reverse("exchange:export_households"), {"format": "csv", "ppks": "24"}))
    assert {r["kk_number"] for r in rows} == {registry_data[0]["kk_number"]} and len(rows) == 3


def test_export_is_logged_with_the_filter_but_never_a_nik(client, personas, registry_data):
    client.force_login(personas["admin_maros"])
    rows = _csv(client.get(reverse("exchange:export_persons"), {"format": "csv", "sex": "P"}))
    log = AccessLog.objects.get(kind=AccessLog.Kind.EXPORT)
    assert log.user == personas["admin_maros"]
    assert log.detail == f"persons csv rows={len(rows)} filter: sex=P"
    # Filters that came another way (API, command line) are logged without the number.
    nik = registry_data[0]["nik"]
    assert exporter.filter_description({"nik": nik, "q": nik, "sex": "P"}) == (
        "nik=****, q=****, sex=P"
    )


def test_the_export_page_refuses_a_nik_or_kk_in_its_address(client, personas, registry_data):
    """Its filters travel in the address (GET): a NIK there would stay in history and logs.
    Ignoring it would export the whole area instead of one person, so it is refused."""
    client.force_login(personas["admin_maros"])
    nik = registry_data[0]["nik"]
    for kind, params in (
        ("exchange:export_persons", {"nik": nik}),
        ("exchange:export_persons", {"q": nik}),
        ("exchange:export_households", {"kk": registry_data[0]["kk_number"]}),
    ):
        refused = client.get(reverse(kind), {"format": "csv", **params})
        assert refused.status_code == 400
        html = refused.content.decode()
        assert "halaman Cari" in html and 'name="nik"' not in html and 'name="kk"' not in html
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(client, personas, registry_data):
    person = Person.objects.get(nik=registry_data[2]["nik"])
    registry.update_person(personas["admin_maros"], person, {"full_name": "=1+2 Andi"})
    client.force_login(personas["admin_maros"])
    rows = _csv(client.get(reverse("exchange:export_persons"), {"format": "csv"}))
    assert next(r for r in rows if r["nik"] == person.nik)["full_name"] == "'=1+2 Andi"


def test_roles_without_the_registry_get_nothing(client, personas, registry_data):
    for name in ("partner", "head"):
        client.force_login(personas[name])
        assert client.get(reverse("exchange:export_persons"), {"format": "csv"}).status_code == 404
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()
    assert AccessLog.objects.filter(kind=AccessLog.Kind.DENIED).count() == 2


def test_small_xlsx_comes_at_once_large_one_from_a_background_job(
    client, personas, registry_data, monkeypatch
):
    openpyxl = pytest.importorskip("openpyxl")
    client.force_login(personas["admin_maros"])
    response = client.get(reverse("exchange:export_households"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert list(values[0]) == exporter.xlsx_headers() and len(values) == 9
    assert values[1][1] == registry_data[0]["nik"]  # text, not a number Excel would round

    monkeypatch.setattr(exporter, "XLSX_INLINE_LIMIT", 2)
    monkeypatch.setattr("pandu.exchange.views.XLSX_INLINE_LIMIT", 2)
    response = client.get(reverse("exchange:export_persons"), {"format": "xlsx", "sex": "L"})
    job = Job.objects.get(kind="exchange.export")
    assert response.status_code == 302 and response["Location"] == f"/tugas/{job.uid}/"
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    sheet = openpyxl.load_workbook(jobs_dir() / job.result_file).active
    assert len(list(sheet.values)) == 1 + 3
    assert AccessLog.objects.filter(kind="export", detail__contains="xlsx rows=3").exists()
    assert client.get(f"/tugas/{job.uid}/hasil/").status_code == 200


def test_export_page_shows_the_list_filters(client, personas, registry_data):
    client.force_login(personas["tksk_moncongloe"])
    page = client.get(reverse("exchange:export_persons"))
    assert page.status_code == 200
    assert b'name="sex"' in page.content and b'value="xlsx"' in page.content
    sensitive = PPKSCategory.objects.get(number=16)
    assert sensitive.name.encode() not in page.content


def _command_export(tmp_path, *args: str) -> list[dict]:
    out = tmp_path / "ekspor.csv"
    call_command("export_registry", "--out", str(out), *args, stdout=io.StringIO())
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


def test_the_export_command_writes_one_area_with_every_category_and_logs_it(
    registry_data, tmp_path
):
    rows = _command_export(tmp_path, "--area", LAPPARA)

    assert {r["village_code"] for r in rows} == {LAPPARA}
    assert len(rows) == 5  # families 1 and 2; family 3 lives in Bulu
    wife = registry_data[1]["nik"]
    assert next(r for r in rows if r["nik"] == wife)["ppks"] == "16"  # sensitive, kept
    log = AccessLog.objects.get(kind=AccessLog.Kind.EXPORT)
    assert log.user is None and "rows=5" in log.detail and LAPPARA in log.detail


def test_the_export_command_takes_the_list_filters_sensitive_categories_included(
    registry_data, tmp_path
):
    rows = _command_export(tmp_path, "--filter", "ppks=16")

    assert [r["nik"] for r in rows] == [registry_data[1]["nik"]]
    assert len(_command_export(tmp_path)) == 8  # no area: the whole registry


def test_the_export_command_as_a_user_exports_what_that_user_may_see(
    personas, registry_data, tmp_path
):
    rows = _command_export(tmp_path, "--user", "operator_bulu", "--area", "73.09")

    assert {r["village_code"] for r in rows} == {BULU}
    assert AccessLog.objects.get(kind=AccessLog.Kind.EXPORT).user == personas["operator_bulu"]


def test_the_export_command_refuses_an_unknown_area(registry_data, tmp_path):
    with pytest.raises(CommandError, match="99.99"):
        _command_export(tmp_path, "--area", "99.99")


def test_xlsx_export_reads_in_indonesian_with_labels_and_dates_and_imports_again_unchanged(
    client, personas, registry_data, tmp_path
):
    import datetime as dt

    openpyxl = pytest.importorskip("openpyxl")
    client.force_login(personas["admin_maros"])
    response = client.get(reverse("exchange:export_persons"), {"format": "xlsx"})
    body = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:6] == [
        "Nomor KK",
        "NIK",
        "Nama lengkap",
        "Jenis kelamin (L/P)",
        "Tempat lahir",
        "Tanggal lahir",
    ]
    assert header[-2:] == ["Nama desa/kelurahan", "Nama PPKS"]
    head = dict(zip(header, next(r for r in rows if r[1] == registry_data[0]["nik"]), strict=True))
    assert head["Jenis kelamin (L/P)"] == "Laki-laki"
    assert head["Hubungan dengan kepala keluarga"] == "Kepala keluarga"
    assert head["Tanggal lahir"] == dt.datetime(1980, 5, 17)  # a date cell, not text
    assert sheet.cell(row=2, column=6).number_format == "DD-MM-YYYY"
    assert head["Nama desa/kelurahan"].startswith("Desa Moncongloe Lappara, Kecamatan Moncongloe")
    assert head["PPKS (nomor kategori, dipisah titik koma)"] == "9;24"
    assert "Fakir Miskin" in head["Nama PPKS"]
    assert head["Kode desa/kelurahan"] == LAPPARA

    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(body)
    again = import_file(personas["admin_maros"], path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 8, 0)
