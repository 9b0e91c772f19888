"""Health and violence assessments are read by the people of the case only (need-to-know)."""

import pytest
from django.test import Client
from django.urls import reverse

from pandu.services import actions
from pandu.services.models import Assessment

pytestmark = pytest.mark.django_db

HEALTH_ANSWER = "Batuk berdarah sejak tiga bulan"
CIVIL_ANSWER = "Belum pernah punya KTP-el"


@pytest.fixture
def assessed_case(world, make_case):
    case = make_case(needs=("health", "civil_documents"))
    worker = world.users["social_worker"]
    actions.save_assessment(worker, case, "health", {"complaint": HEALTH_ANSWER})
    actions.save_assessment(worker, case, "civil_documents", {"situation": CIVIL_ANSWER})
    return case


def _page(user, case) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("services:case_detail", args=[case.uid]))
    assert response.status_code == 200
    return response.content.decode()


def test_front_office_cannot_read_the_health_assessment_of_a_case_they_are_not_part_of(
    world, assessed_case
):
    page = _page(world.users["front_office"], assessed_case)
    assert HEALTH_ANSWER not in page
    # The need itself and the non-private assessment are still shown.
    assert CIVIL_ANSWER in page


def test_another_worker_outside_the_case_cannot_read_it_either(world, assessed_case):
    areas = set(
        Assessment.objects.visible_to(world.users["worker2"])
        .filter(case=assessed_case)
        .values_list("area", flat=True)
    )
    assert areas == {"civil_documents"}


@pytest.mark.parametrize("who", ["social_worker", "admin_maros"])
def test_the_assigned_worker_and_the_supervisor_read_the_health_assessment(
    world, assessed_case, who
):
    user = world.users[who]
    areas = set(
        Assessment.objects.visible_to(user)
        .filter(case=assessed_case)
        .values_list("area", flat=True)
    )
    assert areas == {"health", "civil_documents"}
    assert HEALTH_ANSWER in _page(user, assessed_case)


def test_a_violence_case_assessment_stays_with_the_people_of_the_case(world, make_case):
    case = make_case(needs=("protection",), sensitive_topic="violence")
    actions.save_assessment(
        world.users["social_worker"], case, "protection", {"income_loss": "Suami memukul"}
    )
    for who in ("front_office", "worker2", "auditor", "tksk_moncongloe"):
        assert not Assessment.objects.visible_to(world.users[who]).filter(case=case).exists(), who
    assert Assessment.objects.visible_to(world.users["social_worker"]).filter(case=case).exists()


def test_assessments_of_another_regency_are_out_of_reach(world, mk_case):
    actions.save_assessment(
        world.users["worker_makassar"], mk_case, "civil_documents", {"situation": "x"}
    )
    assert not Assessment.objects.visible_to(world.users["admin_maros"]).exists()
