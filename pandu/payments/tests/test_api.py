"""The payments API: cycles computed and approved step by step, entitlements filtered by
cycle, a reconciliation uploaded and its rejected rows read back."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from pandu.core import jobs
from pandu.payments import actions

from .helpers import CHILD_NO_ACCOUNT, ELDERLY_WITH_ACCOUNT, approved_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_cycle_is_computed_and_approved_through_the_api(
    personas, pkh, maros, bulk_families, enrol
):
    for family in bulk_families([ELDERLY_WITH_ACCOUNT, CHILD_NO_ACCOUNT]):
        enrol(family, pkh)
    cycle = actions.create_cycle(
        personas["admin_maros"], programme=pkh, area=maros, period_start=date(2026, 1, 1)
    )
    admin, head = api(personas["admin_maros"]), api(personas["head"])
    url = f"/api/v1/payments/cycles/{cycle.uid}/"
    assert admin.post(url + "compute/").status_code == 202
    jobs.run_pending()
    body = admin.get(url).json()
    assert body["status"] == "dihitung" and body["figures"]["amount"] == 1_350_000
    early = head.post(url + "approve/", {"step": "kepala"})
    assert early.status_code == 400 and "belum disetujui Dinas" in str(early.json())
    assert head.post(url + "approve/", {"step": "dinas"}).status_code == 404
    assert admin.post(url + "approve/", {"step": "dinas", "note": "ok"}).status_code == 200
    again = admin.post(url + "approve/", {"step": "dinas"})
    assert again.status_code == 400 and "sudah disetujui Dinas" in str(again.json())
    done = head.post(url + "approve/", {"step": "kepala"})
    assert done.status_code == 200 and done.json()["status"] == "disetujui"
    assert admin.post(url + "compute/").status_code == 400
    listed = admin.get("/api/v1/payments/entitlements/", {"cycle": str(cycle.uid)}).json()
    assert sorted(e["amount"] for e in listed["results"]) == ["600000", "750000"]
    assert {e["status"] for e in listed["results"]} == {"disetujui"}


def test_a_reconciliation_is_uploaded_and_its_rejected_rows_read(
    personas, pkh, maros, bulk_families, enrol
):
    cycle, (elderly, child) = approved_cycle(
        personas, pkh, maros, bulk_families, enrol, [ELDERLY_WITH_ACCOUNT, CHILD_NO_ACCOUNT]
    )
    text = (
        "siklus,penerima,status,nominal,tanggal,referensi,alasan\n"
        f"{cycle.uid},{elderly.kk_number},dibayar,600000,15-02-2026,BRI-1,\n"
        f"{cycle.uid},{child.kk_number},dibayar,750000,15-05-2026,POS-1,\n"
    )
    admin = api(personas["admin_maros"])
    upload = SimpleUploadedFile("hasil.csv", text.encode(), content_type="text/csv")
    answer = admin.post("/api/v1/payments/reconciliations/", {"file": upload},
                        format="multipart")  # fmt: skip
    assert answer.status_code == 202
    jobs.run_pending()
    body = admin.get(f"/api/v1/payments/reconciliations/{answer.json()['uid']}/").json()
    assert (body["rows_read"], body["recorded"], body["rejected"]) == (2, 1, 1)
    assert body["rejected_rows"] == [
        {"row": 3, "reason": "Tanggal 15-05-2026 di luar periode siklus (01-01-2026 s.d. "
         "31-03-2026)."}
    ]  # fmt: skip
    detail = admin.get("/api/v1/payments/entitlements/", {"kk": elderly.kk_number}).json()
    entitlement = detail["results"][0]
    one = admin.get(f"/api/v1/payments/entitlements/{entitlement['uid']}/").json()
    assert one["status"] == "dibayar" and one["payments"][0]["reference"] == "BRI-1"
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf")
    refused = admin.post("/api/v1/payments/reconciliations/", {"file": pdf}, format="multipart")
    assert refused.status_code == 400
    tksk = api(personas["tksk_moncongloe"])
    again = SimpleUploadedFile("hasil.csv", text.encode(), content_type="text/csv")
    assert tksk.post("/api/v1/payments/reconciliations/", {"file": again},
                     format="multipart").status_code == 404  # fmt: skip
