"""The service over the API: intakes, cases and the partner inbox."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from pandu.conftest import LAPPARA, api_token
from pandu.core.models import AccessLog
from pandu.services import actions
from pandu.services.models import Intake, Referral

from .conftest import unregistered

pytestmark = pytest.mark.django_db
BASE = "/api/v1/services"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="id")
    token = api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _sent(world, case, share_nik=False) -> Referral:
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker, case, world.health, need_area="health", need="Periksa", request="Obati"
    )
    actions.record_consent(
        worker, referral, consent_by="self", method="signed", share_nik=share_nik
    )
    return actions.send_referral(worker, referral)


def _body(world, **kw):
    body = {
        "service_point": str(world.slrt.uid),
        "kind": "permohonan",
        "channel": "phone",
        "name": "Daeng Baji",
        "birth_date": "1970-03-04",
        "village": LAPPARA,
        "needs": ["health"],
        "description": "Butuh berobat",
    }
    body.update(kw)
    return body


def test_front_office_creates_an_intake_and_a_duplicate_answers_409(world):
    client = api(world.users["front_office"])
    response = client.post(f"{BASE}/intakes/", _body(world), format="json")
    assert response.status_code == 201, response.json()
    ticket = response.json()["ticket_number"]
    again = client.post(f"{BASE}/intakes/", _body(world), format="json")
    assert again.status_code == 409 and again.json()["duplicates"] == [ticket]
    forced = client.post(f"{BASE}/intakes/", _body(world, confirm_duplicate=True), format="json")
    assert forced.status_code == 201
    assert Intake.objects.count() == 2


def test_roles_without_the_desk_cannot_create_intakes(world):
    for who in ("partner", "head", "auditor", "operator_lappara"):
        response = api(world.users[who]).post(f"{BASE}/intakes/", _body(world), format="json")
        assert response.status_code == 403, who
    assert not Intake.objects.exists()


def test_bad_intake_input_gives_field_errors(world):
    response = api(world.users["front_office"]).post(
        f"{BASE}/intakes/", _body(world, birth_date=None, nik=3573010101010001), format="json"
    )
    assert response.status_code == 400
    assert "nik" in response.json()


def test_sensitive_case_needs_a_reason_over_the_api(world, make_case):
    case = make_case(
        needs=("child_protection",), subject=unregistered("Anak", born=date(2014, 1, 1))
    )
    client = api(world.users["social_worker"])
    assert client.get(f"{BASE}/cases/{case.uid}/").status_code == 400
    response = client.get(f"{BASE}/cases/{case.uid}/", {"reason": "Kunjungan rumah"})
    assert response.status_code == 200
    assert AccessLog.objects.filter(kind="view_sensitive", object_uid=str(case.uid)).exists()
    other = api(world.users["worker2"])
    assert other.get(f"{BASE}/cases/{case.uid}/", {"reason": "Ingin tahu saja"}).status_code == 404
    assert str(case.uid) not in other.get(f"{BASE}/cases/").content.decode()


def test_outside_scope_case_is_404_and_logged_over_the_api(world, mk_case):
    user = world.users["admin_maros"]
    response = api(user).get(f"{BASE}/cases/{mk_case.uid}/")
    assert response.status_code == 404
    assert AccessLog.objects.filter(user=user, kind="denied", object_uid=str(mk_case.uid)).exists()


def test_partner_inbox_shows_only_their_agency_and_only_shared_fields(world, make_case):
    referral = _sent(world, make_case(subject=unregistered(nik="7309131703700011")))
    lina = api(world.users["partner"])
    rows = lina.get(f"{BASE}/referrals/").json()["results"]
    assert [r["uid"] for r in rows] == [str(referral.uid)]
    row = rows[0]
    assert row["name"] == "Daeng Baji" and row["nik"] is None
    assert "case" not in row and "person" not in row
    other = api(world.users["partner_dukcapil"])
    assert other.get(f"{BASE}/referrals/").json()["results"] == []
    assert other.get(f"{BASE}/referrals/{referral.uid}/").status_code == 404
    assert (
        other.post(f"{BASE}/referrals/{referral.uid}/accept/", {}, format="json").status_code == 404
    )
    # Nothing of the registry either.
    assert lina.get("/api/v1/persons/").json().get("results", []) == []


def test_partner_answers_through_the_api(world, make_case):
    referral = _sent(world, make_case(), share_nik=True)
    lina = api(world.users["partner"])
    assert (
        lina.post(f"{BASE}/referrals/{referral.uid}/decline/", {}, format="json").status_code == 400
    )
    accepted = lina.post(
        f"{BASE}/referrals/{referral.uid}/accept/", {"text": "Jadwal Senin"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    done = lina.post(
        f"{BASE}/referrals/{referral.uid}/complete/", {"text": "Sembuh"}, format="json"
    )
    assert done.json()["status"] == "completed"
    # Staff cannot answer for the partner.
    worker = api(world.users["social_worker"])
    assert (
        worker.post(
            f"{BASE}/referrals/{referral.uid}/return/", {"text": "x"}, format="json"
        ).status_code
        == 403
    )


def test_staff_list_referrals_of_cases_they_see(world, make_case):
    referral = _sent(world, make_case())
    rows = api(world.users["social_worker"]).get(f"{BASE}/referrals/").json()["results"]
    assert rows[0]["number"] == referral.number and rows[0]["case"]


# Lists are narrowed by the web lists' FilterSets (services/filtersets.py).


def _uids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["uid"] for row in response.json()["results"]}


def test_case_list_filters_through_the_case_filterset(world, make_case):
    andi_case = make_case()
    siti_case = make_case(
        worker=world.users["worker2"], subject=unregistered("Siti Aminah", born=date(1982, 5, 6))
    )
    andi = api(world.users["social_worker"])
    every = {str(andi_case.uid), str(siti_case.uid)}
    # No filter: every case the caller may see, in any status (the page's defaults are not used).
    assert _uids(andi.get(f"{BASE}/cases/")) == every
    assert _uids(andi.get(f"{BASE}/cases/", {"mine": "1"})) == {str(andi_case.uid)}
    assert _uids(andi.get(f"{BASE}/cases/", {"mine": "true"})) == {str(andi_case.uid)}
    assert _uids(andi.get(f"{BASE}/cases/", {"mine": "0"})) == every
    assert _uids(andi.get(f"{BASE}/cases/", {"lingkup": "saya"})) == {str(andi_case.uid)}
    assert _uids(andi.get(f"{BASE}/cases/", {"q": "siti"})) == {str(siti_case.uid)}
    assert _uids(andi.get(f"{BASE}/cases/", {"status": "aktif"})) == every
    assert _uids(andi.get(f"{BASE}/cases/", {"status": "closed"})) == set()
    # Scoped first, filtered after: Makassar's worker finds none of Maros's cases by name.
    outsider = api(world.users["worker_makassar"])
    assert _uids(outsider.get(f"{BASE}/cases/", {"q": "siti"})) == set()


def test_intake_list_filters_through_the_intake_filterset(world, make_intake, mk_case):
    baji = make_intake()
    siti = make_intake(subject=unregistered("Siti Aminah", born=date(1982, 5, 6)))
    desk = api(world.users["front_office"])
    assert _uids(desk.get(f"{BASE}/intakes/")) == {str(baji.uid), str(siti.uid)}
    assert _uids(desk.get(f"{BASE}/intakes/", {"q": siti.ticket_number})) == {str(siti.uid)}
    assert _uids(desk.get(f"{BASE}/intakes/", {"q": "baji"})) == {str(baji.uid)}
    assert _uids(desk.get(f"{BASE}/intakes/", {"status": "closed"})) == set()
    # Makassar's intake stays out, whatever the filter asks.
    assert _uids(desk.get(f"{BASE}/intakes/", {"q": "Makkasau"})) == set()


def test_referral_list_filters_through_the_inbox_filterset(world, make_case):
    referral = _sent(world, make_case())
    lina = api(world.users["partner"])
    assert _uids(lina.get(f"{BASE}/referrals/", {"status": "terbuka"})) == {str(referral.uid)}
    assert _uids(lina.get(f"{BASE}/referrals/", {"status": "completed"})) == set()
    assert _uids(lina.get(f"{BASE}/referrals/", {"terlambat": "1"})) == set()
    assert _uids(lina.get(f"{BASE}/referrals/", {"terlambat": "0"})) == {str(referral.uid)}
    staff = api(world.users["social_worker"])
    assert _uids(staff.get(f"{BASE}/referrals/", {"status": "terbuka"})) == {str(referral.uid)}


@pytest.mark.parametrize(
    "path, params, field, says",
    [
        ("cases", {"mine": "ya"}, "mine", "0 atau false"),
        ("cases", {"status": "dibuka"}, "status", "dibuka"),
        ("cases", {"lingkup": "kantor"}, "lingkup", "kantor"),
        ("cases", {"q": "x" * 61}, "q", "60"),
        ("intakes", {"status": "baru"}, "status", "baru"),
        ("referrals", {"terlambat": "ya"}, "terlambat", "0 atau false"),
        ("referrals", {"status": "hilang"}, "status", "hilang"),
    ],
)
def test_a_filter_value_the_list_cannot_read_is_a_400_that_names_it(
    world, make_case, path, params, field, says
):
    _sent(world, make_case())
    for who in ("social_worker", "partner"):
        response = api(world.users[who]).get(f"{BASE}/{path}/", params)
        assert response.status_code == 400, (who, response.content)
        messages = response.json()[field]
        assert any(says in m for m in messages), messages
