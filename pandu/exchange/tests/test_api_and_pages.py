"""The import pages and the API: upload, match columns, follow the job, resume, download."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import api_token
from pandu.core import jobs
from pandu.core.models import Job
from pandu.exchange.models import ImportBatch
from pandu.registry.models import Person

from .conftest import family, write_csv

pytestmark = pytest.mark.django_db


def _upload(tmp_path, rows=None, name="desa.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, rows or (family(1, 10) + family(2, 20)))
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def _api(user) -> APIClient:
    client = APIClient()
    token = api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_operator_uploads_matches_columns_and_follows_the_job(client, personas, tmp_path):
    client.force_login(personas["operator_lappara"])
    assert b'enctype="multipart/form-data"' in client.get(reverse("exchange:index")).content
    response = client.post(reverse("exchange:import_upload"), {"file": _upload(tmp_path)})
    batch = ImportBatch.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/impor-ekspor/impor/{batch.uid}/"
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Cocokkan kolom" in page.content.decode() and b"Muhammad Rahman 10" in page.content
    form = {f"col_{name}": str(i) for name, i in batch.mapping.items()}
    response = client.post(response["Location"], {**form, "save_as": "Format Lappara"})
    job = Job.objects.get(kind="exchange.import")
    assert response.status_code == 302 and response["Location"] == f"/tugas/{job.uid}/"
    jobs.run_pending()
    page = client.get(reverse("exchange:import_detail", args=[batch.uid])).content.decode()
    assert "Selesai" in page and "Unduh laporan baris ditolak" in page
    assert Person.objects.count() == 6
    report = client.get(reverse("exchange:import_report", args=[batch.uid]))
    assert b"".join(report.streaming_content).decode("utf-8-sig").startswith("baris,kolom")
    job_page = client.get(f"/tugas/{job.uid}/").content.decode()
    assert "baru: <strong>6</strong>" in job_page and "ditolak: <strong>0</strong>" in job_page
    assert f"/tugas/{job.uid}/hasil/" in job_page  # the report, from the job page too


def test_other_villages_and_other_roles_do_not_see_or_start_imports(client, personas, tmp_path):
    client.force_login(personas["operator_lappara"])
    client.post(reverse("exchange:import_upload"), {"file": _upload(tmp_path)})
    batch = ImportBatch.objects.get()
    client.force_login(personas["operator_bulu"])
    assert client.get(reverse("exchange:import_detail", args=[batch.uid])).status_code == 404
    assert client.get(reverse("exchange:import_report", args=[batch.uid])).status_code == 404
    client.force_login(personas["admin_maros"])  # the office's admin sees it
    assert client.get(reverse("exchange:import_detail", args=[batch.uid])).status_code == 200
    client.force_login(personas["tksk_moncongloe"])  # may export, may not import
    index = client.get(reverse("exchange:index"))
    assert index.status_code == 200 and b"multipart" not in index.content
    response = client.post(reverse("exchange:import_upload"), {"file": _upload(tmp_path)})
    assert response.status_code == 404 and ImportBatch.objects.count() == 1
    client.force_login(personas["partner"])
    assert client.get(reverse("exchange:index")).status_code == 404


def test_a_cancelled_import_continues_from_the_page(client, personas, tmp_path):
    client.force_login(personas["admin_maros"])
    client.post(reverse("exchange:import_upload"), {"file": _upload(tmp_path)})
    batch = ImportBatch.objects.get()
    client.post(
        reverse("exchange:import_detail", args=[batch.uid]),
        {f"col_{name}": str(i) for name, i in batch.mapping.items()},
    )
    job = Job.objects.get()
    client.post(f"/tugas/{job.uid}/batal/")  # cancelled while still queued
    assert jobs.run_pending() == 0
    page = client.get(reverse("exchange:import_detail", args=[batch.uid])).content.decode()
    assert "Lanjutkan" in page
    response = client.post(reverse("exchange:import_resume", args=[batch.uid]))
    assert response.status_code == 302
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == 6


def test_a_file_that_is_not_a_table_says_so_on_the_page(client, personas, tmp_path):
    client.force_login(personas["admin_maros"])
    upload = SimpleUploadedFile("data.csv", b"\x00\x01\x02PNG" * 100)
    response = client.post(reverse("exchange:import_upload"), {"file": upload}, follow=True)
    assert "bukan berkas teks CSV" in response.content.decode()
    assert not Job.objects.exists()


def test_api_import_returns_the_job_and_reports_counts(personas, tmp_path):
    api = _api(personas["admin_maros"])
    response = api.post(
        "/api/v1/exchange/imports/", {"file": _upload(tmp_path)}, format="multipart"
    )
    assert response.status_code == 202, response.content
    job_uid, import_uid = response.data["job"], response.data["import_uid"]
    jobs.run_pending()
    for uid in (job_uid, import_uid):
        data = api.get(f"/api/v1/exchange/imports/{uid}/").json()
        assert data["status"] == "succeeded" and data["job"] == job_uid
        assert data["counts"]["created"] == 6 and data["counts"]["rows_read"] == 6
        assert data["report_url"] == f"/impor-ekspor/impor/{import_uid}/laporan/"
    assert (
        _api(personas["admin_makassar"]).get(f"/api/v1/exchange/imports/{import_uid}/").status_code
        == 404
    )


def test_api_import_refuses_roles_and_explains_missing_columns(personas, tmp_path):
    response = _api(personas["tksk_moncongloe"]).post(
        "/api/v1/exchange/imports/", {"file": _upload(tmp_path)}, format="multipart"
    )
    assert response.status_code == 404  # a refusal, like every refusal: 404 and logged
    path = write_csv(tmp_path / "x.csv", family(1, 10), columns=["nik", "full_name"])
    upload = SimpleUploadedFile("x.csv", path.read_bytes())
    response = _api(personas["admin_maros"]).post(
        "/api/v1/exchange/imports/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["headers"] == ["nik", "full_name"]
    upload = SimpleUploadedFile("x.csv", path.read_bytes())
    response = _api(personas["admin_maros"]).post(
        "/api/v1/exchange/imports/",
        {"file": upload, "columns": '{"kk_number": "nik"}'},
        format="multipart",
    )
    assert response.status_code == 400  # still missing the other required columns


def test_api_exports_stream_csv_and_run_large_ones_in_the_background(personas, tmp_path):
    api = _api(personas["admin_maros"])
    api.post("/api/v1/exchange/imports/", {"file": _upload(tmp_path)}, format="multipart")
    jobs.run_pending()
    response = api.get("/api/v1/exchange/exports/persons/", {"sex": "P"})
    assert response.status_code == 200
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert {r["sex"] for r in rows} == {"P"}
    response = api.get("/api/v1/exchange/exports/households/", {"rt": "2"})
    assert response.status_code == 200
    assert api.get("/api/v1/exchange/exports/persons/", {"ppks": "99"}).status_code == 400
    response = api.post(
        "/api/v1/exchange/exports/",
        {"kind": "persons", "format": "xlsx", "filters": {"sex": "L"}},
        format="json",
    )
    assert response.status_code == 202
    jobs.run_pending()
    assert Job.objects.get(uid=response.data["job"]).status == Job.Status.SUCCEEDED
    assert _api(personas["partner"]).get("/api/v1/exchange/exports/persons/").status_code == 404
