"""An import tells its importer nothing about records outside their area.

A NIK or KK registered elsewhere gets the registry's neutral refusal (the row is rejected and
sends the importer to the Dinas Sosial), never "already registered outside your area"; the
import leaves one access-log ``lookup`` entry naming it and how many rows met such records.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import BULU, LAPPARA, api_token, make_nik
from pandu.core import jobs
from pandu.core.models import AccessLog, Job
from pandu.exchange import actions
from pandu.exchange.importer import Importer
from pandu.exchange.layout import CORE_COLUMNS
from pandu.exchange.models import ImportBatch
from pandu.registry.existence import elsewhere_message
from pandu.registry.models import Household, Person

from .conftest import MONCONGLOE, family, import_file, person, report_rows, write_csv

pytestmark = pytest.mark.django_db

#: What the old report said, in either of its two sentences (NIK and KK).
TELLS_WHERE = ("sudah terdaftar", "luar wilayah kerja")


@pytest.fixture
def bulu_family(personas, tmp_path):
    """A family registered in Bulu, outside the Lappara operator's village."""
    import_file(
        personas["admin_maros"], write_csv(tmp_path / "bulu.csv", family(1, 10, village=BULU))
    )
    return Household.objects.get()


def lappara_rows() -> list[dict]:
    """Three new people of Lappara, then a row with the NIK of Bulu's head (in a new Lappara
    family) and a child of a new NIK on Bulu's family card number (villages of one district
    share the KK's district digits, so ``kk_serial=1`` is Bulu's KK)."""
    moving = person(10, kk_serial=5, village=LAPPARA)
    moving["nik"] = make_nik(MONCONGLOE, date(1980, 5, 17), "L", 10)  # Bulu's head
    child = person(31, kk_serial=1, village=LAPPARA, rel=3, born=date(2012, 4, 4), name="Anak 31")
    return family(2, 20) + [moving, child]


def write_xlsx(path, rows: list[dict]):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(CORE_COLUMNS)
    for row in rows:
        ws.append([row.get(c, "") for c in CORE_COLUMNS])
    wb.save(path)
    return path


def _write(kind: str, path, rows):
    return write_csv(path, rows) if kind == "csv" else write_xlsx(path, rows)


def _lookups(batch: ImportBatch):
    return AccessLog.objects.filter(kind=AccessLog.Kind.LOOKUP, object_uid=str(batch.uid))


def _assert_neutral(report: list[dict], bulu: Household) -> None:
    reasons = {r["baris"]: (r["kolom"], r["alasan"]) for r in report}
    assert reasons == {
        "5": ("nik (B)", elsewhere_message()),
        "6": ("kk_number (A)", elsewhere_message()),
    }
    assert "Dinas Sosial" in reasons["5"][1]
    text = " ".join(" ".join(r.values()) for r in report)
    assert not any(words in text for words in TELLS_WHERE)
    assert bulu.kk_number not in text  # the report names no KK of another area either


def _assert_one_lookup(batch: ImportBatch, user, niks: list[str]) -> None:
    (entry,) = _lookups(batch)
    assert entry.user == user and entry.object_type == "importbatch"
    assert "2 " in entry.detail and f"{batch.rows_read} " in entry.detail
    logged = f"{entry.detail} {entry.path} {entry.object_uid}"
    assert not any(nik in logged for nik in niks)


def test_rows_on_records_outside_the_area_get_the_neutral_refusal_and_one_logged_lookup(
    personas, tmp_path, bulu_family
):
    operator = personas["operator_lappara"]
    rows = lappara_rows()
    batch = import_file(operator, write_csv(tmp_path / "lappara.csv", rows))

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.rows_read, batch.created, batch.rejected) == (5, 3, 2)
    assert batch.accepted + batch.rejected == batch.rows_read
    _assert_neutral(report_rows(batch), bulu_family)
    _assert_one_lookup(batch, operator, [r["nik"] for r in rows])
    # Nothing of Bulu moved or joined.
    assert Person.objects.get(nik=rows[3]["nik"]).area_code == BULU
    assert bulu_family.members.count() == 3


def test_an_import_that_meets_nothing_outside_still_logs_its_one_lookup(personas, tmp_path):
    admin = personas["admin_maros"]
    batch = import_file(admin, write_csv(tmp_path / "a.csv", family(1, 10)))
    (entry,) = _lookups(batch)
    assert entry.user == admin and "0 " in entry.detail


def _api(user) -> APIClient:
    client = APIClient()
    token = api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_page_and_its_report_downloads_say_the_same_neutral_words(
    client, personas, tmp_path, bulu_family, kind
):
    operator = personas["operator_lappara"]
    rows = lappara_rows()
    path = _write(kind, tmp_path / f"lappara.{kind}", rows)
    client.force_login(operator)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(reverse("exchange:import_upload"), {"file": upload})
    assert response.status_code == 302
    jobs.run_pending()  # a workbook is read by a job first
    batch = ImportBatch.objects.get(user=operator)
    columns = {f"col_{name}": str(i) for name, i in batch.mapping.items()}
    client.post(reverse("exchange:import_detail", args=[batch.uid]), columns)
    jobs.run_pending()
    batch.refresh_from_db()

    assert (batch.rows_read, batch.created, batch.rejected) == (5, 3, 2)
    page = client.get(reverse("exchange:import_detail", args=[batch.uid])).content.decode()
    assert not any(words in page for words in TELLS_WHERE)
    _assert_neutral(
        _csv_rows(client.get(reverse("exchange:import_report", args=[batch.uid]))), bulu_family
    )
    _assert_neutral(_csv_rows(client.get(f"/tugas/{batch.job.uid}/hasil/")), bulu_family)
    _assert_one_lookup(batch, operator, [r["nik"] for r in rows])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_api_report_says_the_same_neutral_words(client, personas, tmp_path, bulu_family, kind):
    operator = personas["operator_lappara"]
    rows = lappara_rows()
    path = _write(kind, tmp_path / f"lappara.{kind}", rows)
    api = _api(operator)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = api.post("/api/v1/exchange/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 202, response.content
    jobs.run_pending()
    jobs.run_pending()  # a workbook: the read job queues the import
    data = api.get(f"/api/v1/exchange/imports/{response.data['import_uid']}/").json()

    assert data["status"] == "succeeded", data
    assert data["counts"]["rejected"] == 2 and data["counts"]["accepted"] == 3
    assert not any(words in data["message"] for words in TELLS_WHERE)
    client.force_login(operator)
    _assert_neutral(_csv_rows(client.get(data["report_url"])), bulu_family)
    batch = ImportBatch.objects.get(uid=data["uid"])
    _assert_one_lookup(batch, operator, [r["nik"] for r in rows])


def test_a_cancelled_import_logs_what_it_met_and_its_resumption_logs_the_totals(
    personas, tmp_path, bulu_family, monkeypatch
):
    operator = personas["operator_lappara"]
    rows = lappara_rows()
    rows = [rows[3], *family(3, 30), *rows[:3], rows[4]]  # outside rows first and last
    batch = actions.create_import(operator, source=write_csv(tmp_path / "l.csv", rows))
    job = actions.start_import(operator, batch)
    job.params["batch_rows"] = 3  # rows 2-5, 6-8, then row 9
    job.save(update_fields=["params"])
    real = Importer._commit
    calls = []

    def cancel_before_the_third_batch(self, items, facts):
        calls.append(len(items))
        if len(calls) == 3:
            Job.objects.filter(pk=self.ctx.job.pk).update(cancel_requested=True)
        return real(self, items, facts)

    monkeypatch.setattr(Importer, "_commit", cancel_before_the_third_batch)
    jobs.run_pending()
    monkeypatch.setattr(Importer, "_commit", real)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and batch.last_row == 8
    (first,) = _lookups(batch)
    assert "of 7 rows, 1 on records outside" in first.detail

    actions.resume_import(operator, batch)
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.rows_read, batch.rejected, batch.outside_scope) == (8, 2, 2)
    assert [e.detail for e in _lookups(batch).order_by("pk")][1].endswith(
        "of 8 rows, 2 on records outside the area"
    )
