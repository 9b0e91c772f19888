"""Person and household pages show the service history to those allowed to see it."""

import pytest
from django.test import Client
from django.urls import reverse

from pandu.services import actions
from pandu.services.registry_history import service_history

pytestmark = pytest.mark.django_db


def _page(user, name, uid):
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=[uid]))


@pytest.fixture
def served(world, household_factory, make_intake):
    """Muhammad Rahman has an ordinary health case with a sent referral; his wife Siti has a
    violence case (need-to-know) assigned to Pak Andi."""
    hh = household_factory()
    husband, wife = sorted(hh.members.all(), key=lambda p: p.relationship)
    worker = world.users["social_worker"]
    front = world.users["front_office"]
    ordinary = make_intake(subject=actions.Subject(person=husband), needs=("health",))
    case = actions.open_case(front, ordinary, assign_to=worker)
    referral = actions.create_referral(
        worker,
        case,
        world.health,
        need_area="health",
        need="Pemeriksaan paru",
        request="Mohon pengobatan",
    )
    actions.record_consent(worker, referral, consent_by="self", method="signed")
    actions.send_referral(worker, referral)
    referral.refresh_from_db()
    hidden = make_intake(
        subject=actions.Subject(person=wife),
        needs=("protection",),
        sensitive_topic="violence",
        description="Kekerasan dalam rumah tangga",
    )
    sensitive_case = actions.open_case(front, hidden, assign_to=worker)
    return hh, husband, wife, case, referral, sensitive_case


def test_the_assigned_worker_sees_intakes_cases_and_referrals_on_both_pages(world, served):
    hh, husband, wife, case, referral, sensitive_case = served
    worker = world.users["social_worker"]
    person_page = _page(worker, "registry:person_detail", husband.uid).content.decode()
    assert reverse("services:intake_detail", args=[case.intake.uid]) in person_page
    assert reverse("services:case_detail", args=[case.uid]) in person_page
    assert reverse("services:referral_detail", args=[referral.uid]) in person_page
    assert "Dinas Kesehatan Kabupaten Maros" in person_page
    household_page = _page(worker, "registry:household_detail", hh.uid).content.decode()
    # Both members' records, the sensitive one too: it is his case.
    assert reverse("services:case_detail", args=[case.uid]) in household_page
    assert reverse("services:case_detail", args=[sensitive_case.uid]) in household_page
    assert "kasus terlindungi" not in household_page


def test_a_worker_without_need_to_know_sees_only_that_a_protected_case_exists(world, served):
    hh, husband, wife, case, referral, sensitive_case = served
    other = world.users["worker2"]
    page = _page(other, "registry:household_detail", hh.uid).content.decode()
    assert "1 kasus terlindungi" in page
    assert sensitive_case.number not in page
    assert reverse("services:case_detail", args=[sensitive_case.uid]) not in page
    assert "Kekerasan" not in page
    # The ordinary case is still shown.
    assert reverse("services:case_detail", args=[case.uid]) in page
    wife_page = _page(other, "registry:person_detail", wife.uid).content.decode()
    assert "1 kasus terlindungi" in wife_page and sensitive_case.number not in wife_page


def test_the_front_officer_sees_the_intake_she_received_but_not_the_protected_case(world, served):
    hh, husband, wife, case, referral, sensitive_case = served
    section = service_history(world.users["front_office"], [wife])
    kinds = [r.kind for r in section.rows]
    assert kinds == ["intake"] and section.protected == "1 kasus terlindungi"


def test_a_role_without_service_reading_gets_no_section(world, served):
    hh, *_ = served
    page = _page(world.users["operator_lappara"], "registry:household_detail", hh.uid)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Riwayat layanan" not in html and "kasus terlindungi" not in html


def test_an_out_of_area_user_sees_neither_the_page_nor_the_history(world, served):
    hh, husband, wife, case, referral, sensitive_case = served
    outsider = world.users["worker_makassar"]
    assert _page(outsider, "registry:person_detail", husband.uid).status_code == 404
    assert (
        _page(world.users["admin_makassar"], "registry:household_detail", hh.uid).status_code == 404
    )
    section = service_history(outsider, [husband, wife])
    assert section.rows == [] and section.protected == ""
