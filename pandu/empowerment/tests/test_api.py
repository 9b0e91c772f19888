"""The empowerment API: visits read and recorded from a field device with the page's checks,
plans with their criteria checked, groups with members by registry UUID; never a NIK."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE
from pandu.empowerment import actions
from pandu.empowerment.models import UseVisit
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db

VISITS = "/api/v1/empowerment/visits/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_field_device_records_a_visit(personas, kpm):
    response = api(personas["tksk_moncongloe"]).post(
        VISITS,
        {
            "enrolment": str(kpm.uid),
            "visited_on": timezone.localdate().isoformat(),
            "uses": ["food", "business"],
            "problem_card": True,
            "problem_card_note": "Saldo tidak masuk",
            "latitude": "-5.1",
            "longitude": "119.5",
            "accuracy": "10",
            "located_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uses"] == ["food", "business"] and body["problem_card"] is True
    assert body["enrolment"] == str(kpm.uid) and body["visitor"] == "tksk_moncongloe"
    assert UseVisit.objects.get().use_business


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"uses": []}, "uses"),
        ({"uses": ["gold"]}, "uses"),
        ({"uses": ["other"]}, "use_note"),
        ({"uses": ["food"], "problem_pin": True}, "problem_pin_note"),
        ({"uses": ["food"], "visited_on": "2030-01-01"}, "visited_on"),
        ({"uses": ["food"], "visited_on": "kemarin"}, "visited_on"),
        ({"uses": ["food"], "latitude": "-5.1"}, "latitude"),
    ],
)
def test_bad_visits_are_a_400_naming_the_field(personas, kpm, payload, field):
    data = {"enrolment": str(kpm.uid), "visited_on": timezone.localdate().isoformat()} | payload
    response = api(personas["tksk_moncongloe"]).post(VISITS, data, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not UseVisit.objects.exists()


def test_a_visit_outside_the_area_or_role_is_refused(personas, make_kpm, kpm):
    makassar = make_kpm(MAKASSAR_VILLAGE)
    data = {"visited_on": timezone.localdate().isoformat(), "uses": ["food"]}
    outside = api(personas["tksk_moncongloe"]).post(
        VISITS, data | {"enrolment": str(makassar.uid)}, format="json"
    )
    assert outside.status_code == 404
    head = api(personas["head"]).post(VISITS, data | {"enrolment": str(kpm.uid)}, format="json")
    assert head.status_code == 403
    assert not UseVisit.objects.exists()


def test_visit_lists_filter_and_page(personas, make_kpm):
    tksk = personas["tksk_moncongloe"]
    for n in range(3):
        kpm = make_kpm()
        actions.record_visit(
            tksk,
            kpm,
            visited_on=timezone.localdate(),
            use_food=True,
            problem_pin=n == 0,
            problem_pin_note="PIN" if n == 0 else "",
        )
    client = api(personas["head"])
    assert len(client.get(VISITS).json()["results"]) == 3
    assert len(client.get(VISITS + "?problem=true").json()["results"]) == 1
    first = client.get(VISITS + "?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]


def test_plans_carry_their_criteria_and_groups_their_members(personas, kpm, programme):
    admin, tksk = personas["admin_maros"], personas["tksk_moncongloe"]
    actions.set_criterion(
        admin, programme=programme, area=Area.objects.get(code="73.09"), kind="mandiri"
    )
    plan = actions.create_plan(tksk, kpm, facilitator=tksk, goals="Mandiri")
    body = api(personas["auditor"]).get(f"/api/v1/empowerment/plans/{plan.uid}/").json()
    assert body["graduation_ready"] is False
    assert body["criteria"] == [
        {
            "criterion": "Keluarga menyatakan diri mampu",
            "required": True,
            "met": False,
            "value": "belum ada pernyataan",
        }
    ]
    group = actions.create_group(
        tksk,
        village=Area.objects.get(code=LAPPARA),
        name="Maju",
        business_type="Warung",
        formed_on=date(2025, 1, 1),
    )
    actions.add_member(tksk, group, person=kpm.recipient, business="Kue")
    listed = api(tksk).get("/api/v1/empowerment/groups/").json()["results"]
    assert listed[0]["member_count"] == 1
    detail = api(tksk).get(f"/api/v1/empowerment/groups/{group.uid}/")
    assert detail.json()["members"][0]["person"] == str(kpm.recipient.uid)
    assert kpm.recipient.nik not in detail.content.decode()
