"""Printed papers of the service: the receipt on the office's letterhead with its signer, and the
case summary (PDF) for those who may read the case, behind the same reason gate for a sensitive
one; outside the area or role a logged 404."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts import actions as office_actions
from pandu.core.models import AccessLog
from pandu.core.tests.pdf import body, pdf_text
from pandu.services import actions

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office(world):
    admin = world.users["admin_maros"]
    return office_actions.save_office(
        admin,
        admin.area,
        fields={
            "government": "Pemerintah Kabupaten Maros",
            "name": "Dinas Sosial Kabupaten Maros",
            "address": "Jl. Jenderal Sudirman No. 5",
            "phone": "0411 371234",
        },
        signers={
            "receipt": {"name": "Dewi Lestari", "position": "Petugas Front Office"},
            "case": {
                "name": "Andi Pratama, S.Sos",
                "position": "Pekerja Sosial Ahli Pertama",
                "nip": "198901012015031002",
            },
        },
    )


def test_the_receipt_carries_the_office_letterhead_and_its_signer(world, make_intake, office):
    intake = make_intake()
    response = client_for(world.users["front_office"]).get(
        reverse("services:intake_receipt", args=[intake.uid])
    )
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(body(response))
    for expected in (
        "PEMERINTAH KABUPATEN MAROS",
        "DINAS SOSIAL KABUPATEN MAROS",
        "Jl. Jenderal Sudirman No. 5",
        "Telp. 0411 371234",
        intake.public_reference,
        "Dewi Lestari",
        "Petugas Front Office",
        "Maros, ",
    ):
        assert expected in text, expected


def test_the_case_summary_prints_the_case_its_plan_and_the_signer(world, make_case, office):
    case = make_case(needs=("health", "civil_documents"))
    worker = world.users["social_worker"]
    goal = actions.add_goal(worker, case, description="Berobat rutin ke puskesmas")
    actions.add_plan_action(worker, goal, description="Antar ke Puskesmas Moncongloe")
    response = client_for(worker).get(reverse("services:case_pdf", args=[case.uid]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(body(response))
    for expected in (
        "RINGKASAN KASUS",
        case.number,
        "Daeng Baji",
        "Desa Moncongloe Lappara, Kecamatan Moncongloe, Kabupaten Maros",
        "Berobat rutin ke puskesmas",
        "Antar ke Puskesmas Moncongloe",
        "Andi Pratama, S.Sos",
        "NIP. 198901012015031002",
    ):
        assert expected in text, expected
    page = client_for(worker).get(reverse("services:case_detail", args=[case.uid]))
    assert reverse("services:case_pdf", args=[case.uid]) in page.content.decode()


def test_a_worker_outside_the_case_is_not_told_of_its_health_assessment(world, make_case):
    case = make_case(needs=("health",))
    actions.save_assessment(world.users["social_worker"], case, "health", {}, final=False)
    own = pdf_text(
        body(
            client_for(world.users["social_worker"]).get(
                reverse("services:case_pdf", args=[case.uid])
            )
        )
    )
    other = pdf_text(
        body(client_for(world.users["worker2"]).get(reverse("services:case_pdf", args=[case.uid])))
    )
    assert "Asesmen draf" in own
    assert "Asesmen draf" not in other and "hanya untuk petugas kasus" in other


def test_a_sensitive_case_summary_asks_for_a_reason_first(world, make_case):
    case = make_case(needs=("child_protection",), subject=unregistered("Anak A", date(2014, 1, 1)))
    url = reverse("services:case_pdf", args=[case.uid])
    c = client_for(world.users["social_worker"])
    response = c.get(url)
    assert response.status_code == 302 and "alasan" in response["Location"]
    c.post(response["Location"], {"reason": "Rapat kasus", "next": url})
    assert pdf_text(body(c.get(url))).count("Anak A") >= 1
    assert AccessLog.objects.filter(
        kind=AccessLog.Kind.VIEW_SENSITIVE, object_uid=str(case.uid)
    ).exists()
    assert client_for(world.users["worker2"]).get(url).status_code == 404


@pytest.mark.parametrize("who", ["admin_makassar", "partner", "operator_lappara", "head"])
def test_outside_the_area_or_role_the_case_summary_is_a_logged_404(world, make_case, who):
    case = make_case()
    user = world.users[who]
    assert client_for(user).get(reverse("services:case_pdf", args=[case.uid])).status_code == 404
    assert AccessLog.objects.filter(user=user, kind=AccessLog.Kind.DENIED).exists()
