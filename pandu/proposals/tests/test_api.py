"""The proposals API: the same cycle as the pages, through /api/v1/proposals/."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE, api_token
from pandu.core.models import AccessLog
from pandu.proposals import actions
from pandu.proposals.models import ItemStatus, ProposalBatch
from pandu.registry.models import Household

from .conftest import confirm_all, minutes_pdf, new_family

pytestmark = pytest.mark.django_db
API = "/api/v1/proposals"


def api(personas, who: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="id")
    token = api_token(personas[who])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _json_family():
    family = new_family()
    for m in family["members"]:
        m["birth_date"] = m["birth_date"].isoformat()
    return family


def test_operator_creates_batch_with_minutes_adds_items_and_submits(personas, household_factory):
    hh = household_factory(LAPPARA)
    rahma = api(personas, "operator_lappara")
    meeting = (date.today() - timedelta(days=1)).isoformat()
    response = rahma.post(
        f"{API}/batches/",
        {"village": LAPPARA, "meeting_date": meeting, "minutes": minutes_pdf()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    batch = response.json()
    assert batch["status"] == "draft"
    assert "id" not in batch
    assert batch["minutes_url"].endswith(f"/batches/{batch['uid']}/minutes/")

    family = _json_family()
    response = rahma.post(
        f"{API}/batches/{batch['uid']}/items/",
        {"kind": "household_new", "data": family, "reason": "Musdes"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["payload"]["members"][0]["full_name"] == "Daeng Sikki"
    response = rahma.post(
        f"{API}/batches/{batch['uid']}/items/",
        {"kind": "household_change", "household": str(hh.uid), "data": {"rt": 6}, "reason": "RT"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = rahma.post(f"{API}/batches/{batch['uid']}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert len(response.json()["items"]) == 2


def test_a_nik_sent_as_a_number_is_refused_with_the_reason(personas, household_factory):
    batch = actions.create_batch(
        personas["operator_lappara"], village=LAPPARA, meeting_date=date.today()
    )
    family = _json_family()
    family["members"][0]["nik"] = int(family["members"][0]["nik"])
    response = api(personas, "operator_lappara").post(
        f"{API}/batches/{batch.uid}/items/",
        {"kind": "household_new", "data": family},
        format="json",
    )
    assert response.status_code == 400
    assert "teks JSON" in response.json()["data.members.0.nik"][0]


def test_wrong_data_is_a_400_that_says_what_is_wrong(personas):
    batch = actions.create_batch(
        personas["operator_lappara"], village=LAPPARA, meeting_date=date.today()
    )
    family = _json_family()
    family["household"]["kk_number"] = "3.57301E+15"
    response = api(personas, "operator_lappara").post(
        f"{API}/batches/{batch.uid}/items/",
        {"kind": "household_new", "data": family},
        format="json",
    )
    assert response.status_code == 400
    assert "kk_number" in response.json()


def test_tksk_verifies_and_admin_decides_through_the_api(
    personas, household_factory, batch_factory
):
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    a = actions.add_household_change_item(rahma, batch, hh, {"rt": 6}, reason="RT")
    b = actions.add_household_item(rahma, batch, **new_family())
    actions.submit_batch(rahma, batch)

    syamsul = api(personas, "tksk_moncongloe")
    for item in (a, b):
        response = syamsul.post(
            f"{API}/items/{item.uid}/verify/",
            {"results": confirm_all(item), "note": "Sudah dikunjungi"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "verified"
    assert (
        syamsul.post(
            f"{API}/items/{a.uid}/decide/", {"decision": "approve"}, format="json"
        ).status_code
        == 403
    )

    admin = api(personas, "admin_maros")
    response = admin.post(
        f"{API}/items/decide/",
        {
            "items": [str(a.uid), str(b.uid), "00000000-0000-0000-0000-000000000000"],
            "decision": "approve",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted(body["applied"]) == sorted([str(a.uid), str(b.uid)])
    assert [s["item"] for s in body["skipped"]] == ["00000000-0000-0000-0000-000000000000"]
    hh.refresh_from_db()
    assert hh.rt == 6


def test_rejection_reason_is_required_and_visible_to_the_proposer(
    personas, household_factory, batch_factory
):
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, batch, hh, {"rt": 6}, reason="RT")
    actions.submit_batch(rahma, batch)
    admin = api(personas, "admin_maros")
    assert (
        admin.post(
            f"{API}/items/{item.uid}/decide/", {"decision": "reject"}, format="json"
        ).status_code
        == 400
    )
    admin.post(
        f"{API}/items/{item.uid}/decide/",
        {"decision": "reject", "reason": "Tidak sesuai berita acara"},
        format="json",
    )
    mine = api(personas, "operator_lappara").get(f"{API}/items/?mine=true&status=rejected")
    assert [i["decision_reason"] for i in mine.json()["results"]] == ["Tidak sesuai berita acara"]


def test_items_outside_the_area_are_404_and_logged(personas, household_factory, batch_factory):
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, batch, hh, {"rt": 6}, reason="RT")
    bulu = api(personas, "operator_bulu")
    for url in (
        f"{API}/items/{item.uid}/",
        f"{API}/batches/{batch.uid}/",
        f"{API}/batches/{batch.uid}/minutes/",
    ):
        assert bulu.get(url).status_code == 404, url
    assert AccessLog.objects.filter(
        user=personas["operator_bulu"], kind="denied", object_uid=str(item.uid)
    ).exists()
    assert bulu.get(f"{API}/items/").json()["results"] == []
    for who in ("partner", "head"):
        client = api(personas, who)
        assert client.get(f"{API}/batches/").json()["results"] == [], who
        assert client.get(f"{API}/items/{item.uid}/").status_code == 404, who
    before = ProposalBatch.objects.count()
    response = api(personas, "partner").post(
        f"{API}/batches/", {"village": LAPPARA, "meeting_date": "2026-01-05"}, format="json"
    )
    assert response.status_code == 403
    assert ProposalBatch.objects.count() == before


def test_handover_accepted_through_the_api(personas, household_factory, batch_factory):
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_move_item(
        rahma, batch, hh, village=MAKASSAR_VILLAGE, rt=1, rw=1, reason="Pindah kerja"
    )
    actions.submit_batch(rahma, batch)
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    actions.decide_item(personas["admin_maros"], item, approve=True)
    makassar = api(personas, "admin_makassar")
    listed = makassar.get(f"{API}/handovers/").json()["results"]
    assert [h["household"] for h in listed] == [str(hh.uid)]
    assert makassar.get(f"/api/v1/households/{hh.uid}/").status_code == 404
    response = makassar.post(f"{API}/handovers/{listed[0]['uid']}/accept/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert makassar.get(f"/api/v1/households/{hh.uid}/").status_code == 200
    assert Household.objects.get(pk=hh.pk).village_id == MAKASSAR_VILLAGE


def test_item_list_does_not_grow_queries_with_items(personas, household_factory, batch_factory):
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    households = [household_factory(LAPPARA) for _ in range(4)]
    client = api(personas, "admin_maros")
    actions.add_household_change_item(rahma, batch, households[0], {"rt": 6}, reason="RT")
    client.get(f"{API}/items/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        client.get(f"{API}/items/")
    for hh in households[1:]:
        actions.add_household_change_item(rahma, batch, hh, {"rt": 6}, reason="RT")
    with CaptureQueriesContext(connection) as four:
        response = client.get(f"{API}/items/")
    assert len(response.json()["results"]) == 4
    assert len(four) == len(one)
    assert response.json()["results"][0]["status"] == ItemStatus.PENDING
