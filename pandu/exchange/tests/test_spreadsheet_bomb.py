"""A spreadsheet that declares billions of cells in a few hundred bytes: refused by the upload
(page and API) before anything parses it; what gets past the request's quick look fails its
background job with a message, and the process that read it is a capped child, never the web
or the job worker. The request never opens a workbook at all, and leaves no file behind."""

from __future__ import annotations

import io
import os
import time
import uuid
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.core import jobs
from pandu.core.tests.workbooks import tiny_xlsx
from pandu.exchange import actions
from pandu.exchange.importer import jobs_dir
from pandu.exchange.layout import CORE_COLUMNS
from pandu.exchange.models import ImportBatch
from pandu.registry.models import Person

from .conftest import family

pytestmark = pytest.mark.django_db


def _bomb(tmp_path, **kwargs) -> SimpleUploadedFile:
    path = tiny_xlsx(tmp_path / "bom.xlsx", header=tuple(CORE_COLUMNS[:5]), **kwargs)
    assert path.stat().st_size < 2000
    return SimpleUploadedFile("data.xlsx", path.read_bytes())


def _stored_files() -> list[str]:
    root = jobs_dir() / "imports"
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _workbook(rows: list[dict]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(CORE_COLUMNS)
    for row in rows:
        sheet.append([row.get(c, "") for c in CORE_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "declares", [{"dimension": "A1:XFD1048576"}, {"far_cell": "XFD1048576"}], ids=["dim", "cell"]
)
def test_the_upload_page_refuses_a_tiny_workbook_declaring_a_huge_sheet(
    client, personas, tmp_path, declares
):
    client.force_login(personas["admin_maros"])
    response = client.post(reverse("exchange:import_upload"), {"file": _bomb(tmp_path, **declares)})
    assert response.status_code == 400
    assert "1.048.576 baris × 16.384 kolom, terlalu besar" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert _stored_files() == []


@pytest.mark.parametrize(
    "declares", [{"dimension": "A1:XFD1048576"}, {"far_cell": "XFD1048576"}], ids=["dim", "cell"]
)
def test_the_api_refuses_it_with_a_400(personas, tmp_path, declares):
    api = APIClient()
    api.force_authenticate(personas["admin_maros"])
    response = api.post(
        "/api/v1/exchange/imports/", {"file": _bomb(tmp_path, **declares)}, format="multipart"
    )
    assert response.status_code == 400
    assert "terlalu besar untuk dibaca" in response.json()["file"][0]
    assert not ImportBatch.objects.exists()


def test_the_upload_request_leaves_the_workbook_unopened_for_the_job(client, personas, tmp_path):
    client.force_login(personas["admin_maros"])
    upload = SimpleUploadedFile("desa.xlsx", _workbook(family(1, 10)))
    response = client.post(reverse("exchange:import_upload"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.READING and batch.headers == []
    page = client.get(reverse("exchange:import_detail", args=[batch.uid])).content.decode()
    assert "sedang dibaca di latar belakang" in page

    jobs.run_pending()  # the job reads the header and the first rows

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert batch.headers[:2] == ["kk_number", "nik"] and len(batch.sample) == 3
    page = client.get(reverse("exchange:import_detail", args=[batch.uid])).content.decode()
    assert "Cocokkan kolom" in page and family(1, 10)[1]["full_name"] in page


def test_the_api_reads_a_workbook_in_the_background_then_imports_it(personas, tmp_path):
    api = APIClient()
    api.force_authenticate(personas["admin_maros"])
    upload = SimpleUploadedFile("desa.xlsx", _workbook(family(1, 10)))
    response = api.post("/api/v1/exchange/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 202, response.content
    status_url = response.json()["status_url"]
    assert api.get(status_url).json()["status"] == "reading"

    jobs.run_pending()

    data = api.get(status_url).json()
    assert data["status"] == "succeeded" and data["counts"]["created"] == 3
    assert Person.objects.filter(nik=family(1, 10)[0]["nik"]).exists()


def test_a_workbook_missing_columns_fails_its_api_import_with_the_reason(personas, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["nik", "nama"])
    book.active.append(["7309134505900001", "Siti"])
    buffer = io.BytesIO()
    book.save(buffer)
    api = APIClient()
    api.force_authenticate(personas["admin_maros"])
    upload = SimpleUploadedFile("x.xlsx", buffer.getvalue())
    response = api.post("/api/v1/exchange/imports/", {"file": upload}, format="multipart")
    jobs.run_pending()
    data = api.get(response.json()["status_url"]).json()
    assert data["status"] == "failed"
    assert "Kolom wajib belum dipilih" in data["message"] and "nik | nama" in data["message"]


def test_a_bomb_past_the_requests_quick_look_fails_its_job_not_the_worker(
    client, personas, tmp_path, settings
):
    # The request scans cell references only up to a budget; this sheet is "too long" for it.
    settings.PANDU_WORKBOOK_LIMITS = {"scan_bytes": 100}
    client.force_login(personas["admin_maros"])
    upload = _bomb(tmp_path, far_cell="XFD1048576")
    assert client.post(reverse("exchange:import_upload"), {"file": upload}).status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READING

    jobs.run_pending()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "terlalu besar untuk dibaca" in batch.message
    assert batch.job.status == batch.job.Status.FAILED


def test_a_reader_running_out_of_memory_ends_its_capped_child_and_fails_the_job(
    personas, tmp_path, settings
):
    """With the declared-size limits switched off, the reader really asks for 550 GB: the
    allocation fails in the capped child (the Rust reader aborts it), and the job says why."""
    settings.PANDU_WORKBOOK_LIMITS = {
        "rows": 10**9,
        "columns": 10**9,
        "cells": 10**15,
        "cells_free": 10**15,
    }
    settings.PANDU_IMPORT_PARSE_MEMORY = 512 * 1024 * 1024
    path = tiny_xlsx(tmp_path / "bom.xlsx", header=tuple(CORE_COLUMNS[:5]), far_cell="XFD1048576")
    batch = actions.create_import(
        personas["admin_maros"], source=path, file_name="bom.xlsx", background=True
    )
    started = time.monotonic()

    jobs.run_pending()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "memori yang diizinkan habis" in batch.message
    assert time.monotonic() - started < 60  # failed at once, nothing was filled in


def test_an_upload_refused_after_copying_leaves_no_file(personas, tmp_path, settings):
    settings.PANDU_JOBS_PER_USER = 0  # the reading job cannot be queued
    path = tmp_path / "desa.xlsx"
    path.write_bytes(_workbook(family(1, 10)))
    with pytest.raises(jobs.TooManyJobs):
        actions.create_import(personas["admin_maros"], source=path, background=True)
    assert not ImportBatch.objects.exists()
    assert _stored_files() == []


def test_stale_upload_folders_without_an_import_are_removed(personas, tmp_path):
    csv_path = tmp_path / "desa.csv"
    csv_path.write_text("nik,nama\n7309134505900001,Siti\n", encoding="utf-8")
    kept = actions.create_import(personas["admin_maros"], source=csv_path)
    root = jobs_dir() / "imports"
    orphan = root / str(uuid.uuid4())
    orphan.mkdir(parents=True)
    (orphan / "desa.xlsx").write_bytes(b"PK\x03\x04 left by a worker that died")
    fresh = root / str(uuid.uuid4())
    fresh.mkdir()
    day_ago = time.time() - 2 * 86400
    for folder in (orphan, root / str(kept.uid)):
        os.utime(folder, (day_ago, day_ago))

    assert actions.stale_upload_folders(timedelta(days=1)) == [orphan]
    assert actions.remove_stale_uploads(timedelta(days=1)) == 1

    assert not orphan.exists()
    assert (root / str(kept.uid)).exists()  # an import's file stays
    assert fresh.exists()  # an upload still in progress stays
