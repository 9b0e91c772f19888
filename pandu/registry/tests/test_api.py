"""The registry API: who sees what, what the writes accept and refuse, and what it costs.

Personas and areas come from the shared fixtures in ``pandu/conftest.py``.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, api_token, make_kk, make_nik
from pandu.core.models import AccessLog
from pandu.registry import actions
from pandu.registry.models import Household, Membership, Person, PPKSAssignment, PPKSCategory

API = "/api/v1"
MONCONGLOE = "73.09.13"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Ten personas per test: hashing their passwords properly would take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The NIK-check rate limit counts in the cache; user ids repeat between tests."""
    cache.clear()


def client_for(user) -> APIClient:
    client = APIClient()
    token = api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="id")
    return client


@pytest.fixture
def as_user(personas):
    return lambda name: client_for(personas[name])


@pytest.fixture
def lappara_home(household_factory):
    return household_factory(LAPPARA)


@pytest.fixture
def bulu_home(household_factory):
    return household_factory(BULU)


@pytest.fixture
def makassar_home(household_factory):
    return household_factory(MAKASSAR_VILLAGE)


def uids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["uid"] for row in response.json()["results"]}


def writes_snapshot() -> tuple[int, ...]:
    return (
        Household.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        Household.history.count(),
        Person.history.count(),
    )


def new_household_body(serial: int = 1) -> dict:
    return {
        "kk_number": make_kk(MONCONGLOE, date(2019, 6, 3), 900 + serial),
        "village": LAPPARA,
        "rt": 3,
        "rw": 2,
        "address": "Dusun Lappara",
        "floor_material": 2,
        "cards": ["kks", "pkh"],
        "members": [
            {
                "nik": make_nik(MONCONGLOE, date(1975, 1, 9), "L", 900 + serial),
                "full_name": "Andi Baso",
                "sex": "L",
                "birth_date": "1975-01-09",
                "relationship": 1,
                "marital_status": 2,
            },
            {
                "nik": make_nik(MONCONGLOE, date(1979, 12, 30), "P", 900 + serial),
                "full_name": "Hasnah",
                "sex": "P",
                "birth_date": "30-12-1979",
                "relationship": 2,
                "marital_status": 2,
            },
        ],
    }


# --- Scope per role -------------------------------------------------------------------------


def test_village_operator_sees_only_households_of_their_village(
    as_user, lappara_home, bulu_home, makassar_home
):
    seen = uids(as_user("operator_lappara").get(f"{API}/households/"))
    assert seen == {str(lappara_home.uid)}


def test_village_operator_sees_only_people_of_their_village(as_user, lappara_home, bulu_home):
    seen = uids(as_user("operator_lappara").get(f"{API}/persons/"))
    assert seen == {str(p.uid) for p in lappara_home.members.all()}


def test_regency_admin_sees_every_village_of_the_regency_and_nothing_outside(
    as_user, lappara_home, bulu_home, makassar_home
):
    seen = uids(as_user("admin_maros").get(f"{API}/households/"))
    assert seen == {str(lappara_home.uid), str(bulu_home.uid)}


def test_user_outside_the_regency_gets_404_and_the_attempt_is_logged(
    as_user, personas, lappara_home
):
    person = lappara_home.members.first()
    client = as_user("admin_makassar")

    assert client.get(f"{API}/households/{lappara_home.uid}/").status_code == 404
    assert client.get(f"{API}/persons/{person.uid}/").status_code == 404

    denied = AccessLog.objects.filter(user=personas["admin_makassar"], kind=AccessLog.Kind.DENIED)
    assert set(denied.values_list("object_uid", flat=True)) == {
        str(lappara_home.uid),
        str(person.uid),
    }


def test_operator_of_another_village_gets_404_for_a_neighbours_person(as_user, lappara_home):
    person = lappara_home.members.first()
    assert as_user("operator_bulu").get(f"{API}/persons/{person.uid}/").status_code == 404


@pytest.mark.parametrize("persona", ["partner", "head"])
def test_partner_and_head_see_no_individual_records(as_user, persona, lappara_home):
    client = as_user(persona)
    person = lappara_home.members.first()
    for url in ("households", "persons", "ppks", "psks/organisations", "psks/people"):
        assert uids(client.get(f"{API}/{url}/")) == set(), url
    assert client.get(f"{API}/households/{lappara_home.uid}/").status_code == 404
    assert client.get(f"{API}/persons/{person.uid}/").status_code == 404
    assert client.get(f"{API}/persons/{person.uid}/history/").status_code == 404


def test_unauthenticated_caller_is_refused():
    assert APIClient().get(f"{API}/persons/").status_code == 401


def test_role_without_change_right_cannot_write_and_nothing_changes(as_user, lappara_home):
    before = writes_snapshot()
    auditor = as_user("auditor")
    assert (
        auditor.post(f"{API}/households/", new_household_body(), format="json").status_code == 403
    )
    response = auditor.patch(f"{API}/households/{lappara_home.uid}/", {"rt": 9}, format="json")
    assert response.status_code == 403
    assert writes_snapshot() == before
    assert Household.objects.get(pk=lappara_home.pk).rt == 2


def test_partner_writing_to_a_household_it_cannot_see_gets_404(as_user, lappara_home):
    response = as_user("partner").patch(
        f"{API}/households/{lappara_home.uid}/", {"rt": 9}, format="json"
    )
    assert response.status_code == 404
    assert Household.objects.get(pk=lappara_home.pk).rt == 2


def test_operator_cannot_register_a_household_in_another_village(as_user):
    before = writes_snapshot()
    body = new_household_body()
    body["village"] = BULU
    response = as_user("operator_lappara").post(f"{API}/households/", body, format="json")
    assert response.status_code == 403
    assert writes_snapshot() == before


# --- Finding people -------------------------------------------------------------------------


def test_nik_filter_finds_exactly_one_person(as_user, lappara_home, bulu_home):
    person = lappara_home.members.order_by("id").last()
    response = as_user("admin_maros").get(f"{API}/persons/", {"nik": person.nik})
    assert uids(response) == {str(person.uid)}
    row = response.json()["results"][0]
    assert row["nik"] == person.nik
    assert row["kk_number"] == lappara_home.kk_number
    assert row["household"] == str(lappara_home.uid)


def test_nik_filter_does_not_reach_outside_the_scope(as_user, makassar_home):
    person = makassar_home.members.first()
    assert uids(as_user("admin_maros").get(f"{API}/persons/", {"nik": person.nik})) == set()


def test_kk_filter_lists_the_family_and_the_household(as_user, lappara_home, bulu_home):
    client = as_user("admin_maros")
    people = uids(client.get(f"{API}/persons/", {"kk": lappara_home.kk_number}))
    assert people == {str(p.uid) for p in lappara_home.members.all()}
    homes = uids(client.get(f"{API}/households/", {"kk": lappara_home.kk_number}))
    assert homes == {str(lappara_home.uid)}


def test_household_nik_filter_finds_the_family_of_a_member(as_user, lappara_home, bulu_home):
    person = bulu_home.members.first()
    homes = uids(as_user("admin_maros").get(f"{API}/households/", {"nik": person.nik}))
    assert homes == {str(bulu_home.uid)}


def test_search_by_nik_in_the_body_answers_like_the_list(as_user, lappara_home):
    person = lappara_home.members.first()
    response = as_user("operator_lappara").post(
        f"{API}/persons/search/", {"nik": person.nik}, format="json"
    )
    assert uids(response) == {str(person.uid)}
    assert set(response.json()) >= {"results", "next", "previous"}


def test_search_by_kk_in_the_body_lists_the_family(as_user, lappara_home):
    response = as_user("operator_lappara").post(
        f"{API}/persons/search/", {"kk": lappara_home.kk_number}, format="json"
    )
    assert uids(response) == {str(p.uid) for p in lappara_home.members.all()}


def test_search_outside_the_scope_finds_nothing(as_user, lappara_home):
    person = lappara_home.members.first()
    response = as_user("operator_bulu").post(
        f"{API}/persons/search/", {"nik": person.nik}, format="json"
    )
    assert uids(response) == set()


@pytest.mark.parametrize(
    "body",
    [{}, {"nik": "7309131705800011", "kk": "7309130103150001"}, {"nik": 7309131705800011}],
)
def test_search_needs_exactly_one_number_as_text(as_user, areas, body):
    response = as_user("operator_lappara").post(f"{API}/persons/search/", body, format="json")
    assert response.status_code == 400


def test_search_with_a_malformed_nik_says_what_is_wrong(as_user, areas):
    response = as_user("operator_lappara").post(
        f"{API}/persons/search/", {"nik": "3.57301E+15"}, format="json"
    )
    assert response.status_code == 400
    assert "3,57301E+15" in response.json()["nik"][0]


# --- Registering a household ----------------------------------------------------------------


def test_operator_registers_a_household_with_two_members(as_user):
    response = as_user("operator_lappara").post(
        f"{API}/households/", new_household_body(), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    household = Household.objects.get(uid=data["uid"])
    assert household.village_id == LAPPARA
    assert household.cards == ["kks", "pkh"]
    assert len(data["members"]) == 2
    assert {m["full_name"] for m in data["members"]} == {"Andi Baso", "Hasnah"}
    assert data["history_url"].endswith(f"/api/v1/households/{household.uid}/history/")
    assert "id" not in data
    assert Person.objects.get(full_name="Hasnah").birth_date == date(1979, 12, 30)


def _without_reason_child_head(body):
    body["members"][0]["birth_date"] = "2012-01-09"
    body["members"][0]["nik"] = make_nik(MONCONGLOE, date(2012, 1, 9), "L", 77)
    body["members"][0]["marital_status"] = 1
    body["members"] = body["members"][:1]


BAD_HOUSEHOLDS = {
    "wrong NIK": (
        lambda b: b["members"][0].update(nik="730913090175"),
        ("member_errors", 0, "nik"),
    ),
    "NIK sent as a number": (
        lambda b: b["members"][0].update(nik=3.57301e15),
        ("member_errors", 0, "nik"),
    ),
    "KK sent as a number": (lambda b: b.update(kk_number=7309130306190901), ("kk_number",)),
    "spreadsheet KK": (lambda b: b.update(kk_number="7,30913E+15"), ("kk_number",)),
    "unknown village": (lambda b: b.update(village="73.09.13.2999"), ("village",)),
    "district instead of village": (lambda b: b.update(village="73.09.13"), ("village",)),
    "impossible birth date": (
        lambda b: b["members"][1].update(birth_date="1979-02-30"),
        ("member_errors", 1, "birth_date"),
    ),
    "birth date in the future": (
        lambda b: b["members"][1].update(birth_date="2999-01-01"),
        ("member_errors", 1, "birth_date"),
    ),
    "child as head without a reason": (
        _without_reason_child_head,
        ("member_errors", 0, "head_reason"),
    ),
    "10,000-character name": (
        lambda b: b["members"][0].update(full_name="A" * 10_000),
        ("member_errors", 0, "full_name"),
    ),
    "HTML in a name": (
        lambda b: b["members"][1].update(full_name="<script>alert(1)</script>"),
        ("member_errors", 1, "full_name"),
    ),
    "two heads": (lambda b: b["members"][1].update(relationship=1), ("members",)),
    "no members": (lambda b: b.update(members=[]), ("members",)),
    "members not a list": (lambda b: b.update(members="Andi"), ("members",)),
    "same NIK twice": (
        lambda b: b["members"][1].update(nik=b["members"][0]["nik"], sex="L"),
        ("member_errors", 1, "nik"),
    ),
    "RT out of range": (lambda b: b.update(rt=5000), ("rt",)),
    "unknown housing code": (lambda b: b.update(floor_material=99), ("floor_material",)),
    "unknown card": (lambda b: b.update(cards=["gold-card"]), ("cards",)),
    "unknown sex": (lambda b: b["members"][0].update(sex="X"), ("member_errors", 0, "sex")),
}


@pytest.mark.parametrize("case", list(BAD_HOUSEHOLDS))
def test_bad_household_is_refused_with_the_field_named_and_nothing_written(as_user, case):
    mutate, path = BAD_HOUSEHOLDS[case]
    body = copy.deepcopy(new_household_body())
    mutate(body)
    before = writes_snapshot()

    response = as_user("operator_lappara").post(f"{API}/households/", body, format="json")

    assert response.status_code == 400, response.content
    node = response.json()
    for key in path:
        node = node[key]
    assert node, f"no message at {path}: {response.json()}"
    assert writes_snapshot() == before


def test_member_errors_keep_one_entry_per_member_in_order(as_user):
    body = new_household_body()
    body["members"][1]["full_name"] = "<b>Hasnah</b>"
    response = as_user("operator_lappara").post(f"{API}/households/", body, format="json")
    assert response.status_code == 400
    member_errors = response.json()["member_errors"]
    assert member_errors[0] == {}
    assert list(member_errors[1]) == ["full_name"]


def test_duplicate_nik_of_a_registered_person_is_refused(as_user, lappara_home):
    before = writes_snapshot()
    body = new_household_body()
    body["members"][0]["nik"] = lappara_home.members.order_by("id").first().nik
    response = as_user("operator_lappara").post(f"{API}/households/", body, format="json")
    assert response.status_code == 400
    assert response.json()["member_errors"][0]["nik"]
    assert writes_snapshot() == before


def test_duplicate_kk_is_refused(as_user, lappara_home):
    body = new_household_body()
    body["kk_number"] = lappara_home.kk_number
    response = as_user("operator_lappara").post(f"{API}/households/", body, format="json")
    assert response.status_code == 400
    assert response.json()["kk_number"]


def test_malformed_json_is_a_400(as_user, areas):
    response = as_user("operator_lappara").post(
        f"{API}/households/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


# --- Changing people and households ---------------------------------------------------------


def test_adding_a_member_to_a_visible_household(as_user, lappara_home):
    body = {
        "household": str(lappara_home.uid),
        "nik": make_nik(MONCONGLOE, date(2024, 2, 29), "P", 5),
        "full_name": "Nur Aisyah",
        "sex": "P",
        "birth_date": "29-02-2024",
        "relationship": 3,
        "reason": "Kelahiran",
    }
    response = as_user("operator_lappara").post(f"{API}/persons/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["household"] == str(lappara_home.uid)
    assert lappara_home.members.count() == 3


def test_adding_a_member_to_a_household_out_of_scope_is_refused(as_user, bulu_home):
    body = {
        "household": str(bulu_home.uid),
        "nik": make_nik(MONCONGLOE, date(2024, 2, 1), "P", 6),
        "full_name": "Nur",
        "sex": "P",
        "birth_date": "2024-02-01",
        "relationship": 3,
    }
    response = as_user("operator_lappara").post(f"{API}/persons/", body, format="json")
    assert response.status_code == 400
    assert "household" in response.json()
    assert bulu_home.members.count() == 2


def test_history_shows_who_changed_what_and_the_reason_given(as_user, lappara_home):
    person = lappara_home.members.get(relationship=2)
    client = as_user("operator_lappara")
    response = client.patch(
        f"{API}/persons/{person.uid}/",
        {"full_name": "Siti Aminah Daeng", "reason": "Koreksi nama sesuai KTP"},
        format="json",
        HTTP_IF_MATCH=client.get(f"{API}/persons/{person.uid}/")["ETag"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Siti Aminah Daeng"

    history = client.get(f"{API}/persons/{person.uid}/history/")
    assert history.status_code == 200
    latest, created = history.json()[0], history.json()[-1]
    assert latest["reason"] == "Koreksi nama sesuai KTP"
    assert latest["type"] == "~"
    assert latest["user"] == "operator_lappara"
    assert {
        "field": "full_name",
        "old": person.full_name,
        "new": "Siti Aminah Daeng",
    }.items() <= latest["changes"][0].items()
    assert created["type"] == "+"


def test_household_history_shows_the_reason_of_an_update(as_user, lappara_home):
    client = as_user("operator_lappara")
    response = client.patch(
        f"{API}/households/{lappara_home.uid}/",
        {"rt": 4, "reason": "Pindah RT setelah pemekaran"},
        format="json",
        HTTP_IF_MATCH=client.get(f"{API}/households/{lappara_home.uid}/")["ETag"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["rt"] == 4
    latest = client.get(f"{API}/households/{lappara_home.uid}/history/").json()[0]
    assert latest["reason"] == "Pindah RT setelah pemekaran"
    assert [(c["field"], c["old"], c["new"]) for c in latest["changes"]] == [("rt", 2, 4)]


def test_history_names_a_new_household_by_uid_never_by_integer_id(
    as_user, personas, lappara_home, bulu_home
):
    person = lappara_home.members.get(relationship=2)
    actions.move_person(
        personas["admin_maros"],
        person,
        to=bulu_home,
        relationship=6,
        on=date(2025, 2, 1),
        reason="Ikut anak",
    )
    latest = as_user("admin_maros").get(f"{API}/persons/{person.uid}/history/").json()[0]
    moved = {c["field"]: (c["old"], c["new"]) for c in latest["changes"]}
    assert moved["household"] == (str(lappara_home.uid), str(bulu_home.uid))
    assert moved["area_code"] == (LAPPARA, BULU)


def test_malformed_uid_is_a_404(as_user, areas):
    assert as_user("admin_maros").get(f"{API}/persons/not-a-uid/").status_code == 404


def test_person_update_with_a_bad_nik_is_refused_and_kept(as_user, lappara_home):
    person = lappara_home.members.first()
    client = as_user("operator_lappara")
    response = client.patch(
        f"{API}/persons/{person.uid}/",
        {"nik": "12345"},
        format="json",
        HTTP_IF_MATCH=client.get(f"{API}/persons/{person.uid}/")["ETag"],
    )
    assert response.status_code == 400
    assert response.json()["nik"]
    assert Person.objects.get(pk=person.pk).nik == person.nik


def test_status_change_records_a_death_with_date_and_reason(as_user, lappara_home):
    person = lappara_home.members.get(relationship=1)
    response = as_user("operator_lappara").post(
        f"{API}/persons/{person.uid}/status/",
        {"status": "deceased", "date": "01-03-2025", "reason": "Akta kematian 12/2025"},
        format="json",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.status, person.status_date) == ("deceased", date(2025, 3, 1))
    assert Membership.objects.get(person=person).ended == date(2025, 3, 1)


def test_status_change_in_the_future_names_the_date_field(as_user, lappara_home):
    person = lappara_home.members.first()
    response = as_user("operator_lappara").post(
        f"{API}/persons/{person.uid}/status/",
        {"status": "moved", "date": "2999-01-01", "reason": "Pindah"},
        format="json",
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert Person.objects.get(pk=person.pk).status == "active"


# --- Sensitive PPKS -------------------------------------------------------------------------


@pytest.fixture
def hiv_case(personas, lappara_home):
    """A person with a need-to-know PPKS (16, HIV/AIDS) and a public one (24 is household-level,
    so 9, disability)."""
    person = lappara_home.members.get(relationship=1)
    categories = {c.number: c for c in PPKSCategory.objects.filter(number__in=[9, 16])}
    assert categories[16].sensitive
    for number in (9, 16):
        actions.assign_ppks(
            personas["social_worker"],
            category=categories[number],
            person=person,
            identified_on=date(2025, 1, 6),
            source="visit",
        )
    return person


def test_sensitive_ppks_is_hidden_from_an_operator(as_user, personas, hiv_case):
    client = as_user("operator_lappara")
    detail = client.get(f"{API}/persons/{hiv_case.uid}/").json()
    assert [p["category"] for p in detail["ppks"]] == [9]
    listed = client.get(f"{API}/ppks/").json()["results"]
    assert [p["category"] for p in listed] == [9]
    assert client.get(f"{API}/ppks/", {"category": 16}).status_code == 400
    assert client.get(f"{API}/persons/", {"ppks": 16}).status_code == 400
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.VIEW_SENSITIVE).exists()


def test_social_worker_sees_sensitive_ppks_and_the_view_is_logged(as_user, personas, hiv_case):
    client = as_user("social_worker")
    detail = client.get(f"{API}/persons/{hiv_case.uid}/").json()
    assert [p["category"] for p in detail["ppks"]] == [9, 16]
    assert detail["ppks"][1]["sensitive"] is True
    log = AccessLog.objects.get(kind=AccessLog.Kind.VIEW_SENSITIVE, user=personas["social_worker"])
    assert (log.object_type, log.object_uid) == ("person", str(hiv_case.uid))
    assert hiv_case.nik not in log.path + log.detail


def test_social_worker_viewing_the_household_of_a_sensitive_case_is_logged(
    as_user, personas, hiv_case
):
    household = hiv_case.household
    data = as_user("social_worker").get(f"{API}/households/{household.uid}/").json()
    head = next(m for m in data["members"] if m["uid"] == str(hiv_case.uid))
    assert [p["category"] for p in head["ppks"]] == [9, 16]
    assert AccessLog.objects.filter(
        kind=AccessLog.Kind.VIEW_SENSITIVE, object_uid=str(household.uid)
    ).exists()


def test_ppks_list_with_sensitive_rows_is_logged_once(as_user, personas, hiv_case):
    listed = as_user("social_worker").get(f"{API}/ppks/", {"category": 16}).json()["results"]
    assert [p["person"] for p in listed] == [str(hiv_case.uid)]
    assert AccessLog.objects.filter(kind=AccessLog.Kind.VIEW_SENSITIVE).count() == 1


def test_operator_cannot_record_a_sensitive_ppks(as_user, lappara_home):
    person = lappara_home.members.get(relationship=1)
    response = as_user("operator_lappara").post(
        f"{API}/ppks/",
        {
            "category": 16,
            "person": str(person.uid),
            "identified_on": "2025-01-06",
            "source": "visit",
        },
        format="json",
    )
    assert response.status_code == 403
    assert not PPKSAssignment.objects.exists()


def test_operator_records_a_ppks_for_a_household(as_user, lappara_home):
    response = as_user("operator_lappara").post(
        f"{API}/ppks/",
        {
            "category": 24,
            "household": str(lappara_home.uid),
            "identified_on": "06-01-2025",
            "source": "musdes",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["household"] == str(lappara_home.uid)
    assert response.json()["category_name"] == "Fakir Miskin"


def test_ppks_age_rule_is_a_field_error(as_user, lappara_home):
    person = lappara_home.members.get(relationship=1)  # born 1980: not an elderly person
    response = as_user("operator_lappara").post(
        f"{API}/ppks/",
        {
            "category": 8,
            "person": str(person.uid),
            "identified_on": "2025-01-06",
            "source": "visit",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "category" in response.json()


def test_reference_lists_hide_sensitive_categories_from_an_operator(as_user, areas):
    numbers = [
        c["number"] for c in as_user("operator_lappara").get(f"{API}/ppks-categories/").json()
    ]
    assert 16 not in numbers and 9 in numbers
    all_numbers = [
        c["number"] for c in as_user("social_worker").get(f"{API}/ppks-categories/").json()
    ]
    assert len(all_numbers) == 26
    assert len(as_user("partner").get(f"{API}/psks-types/").json()) == 12


# --- PSKS -----------------------------------------------------------------------------------


def test_psks_organisation_is_registered_listed_and_changed(as_user, areas):
    client = as_user("tksk_moncongloe")
    response = client.post(
        f"{API}/psks/organisations/",
        {
            "psks_type": 5,
            "name": "Karang Taruna Lappara",
            "area": LAPPARA,
            "legal_status": "pemerintah",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    uid = response.json()["uid"]
    assert uids(client.get(f"{API}/psks/organisations/")) == {uid}
    assert uids(as_user("admin_makassar").get(f"{API}/psks/organisations/")) == set()
    changed = client.patch(
        f"{API}/psks/organisations/{uid}/",
        {"active": False, "reason": "Vakum"},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["active"] is False


def test_psks_organisation_of_a_person_type_is_refused(as_user, areas):
    response = as_user("tksk_moncongloe").post(
        f"{API}/psks/organisations/",
        {"psks_type": 11, "name": "TKSK", "area": LAPPARA, "legal_status": "pemerintah"},
        format="json",
    )
    assert response.status_code == 400
    assert "psks_type" in response.json()


def test_psks_person_is_registered_and_listed(as_user, lappara_home):
    person = lappara_home.members.get(relationship=1)
    client = as_user("admin_maros")
    response = client.post(
        f"{API}/psks/people/",
        {"psks_type": 2, "person": str(person.uid), "area": LAPPARA, "started_on": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"] == str(person.uid)
    assert uids(client.get(f"{API}/psks/people/")) == {response.json()["uid"]}


# --- NIK check ------------------------------------------------------------------------------


def nik_check(client, body, **headers):
    return client.post(f"{API}/nik/check", body, format="json", **headers)


def test_valid_female_nik_gives_sex_and_district(as_user):
    response = nik_check(as_user("front_office"), {"nik": "7309134505900001"})
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "errors": [],
        "warnings": [],
        "sex": "P",
        "district_code": "73.09.13",
    }


def test_nik_check_also_answers_with_a_trailing_slash(as_user):
    response = as_user("partner").post(
        f"{API}/nik/check/", {"nik": "7309134505900001"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_spreadsheet_nik_is_invalid_with_the_explanation(as_user):
    data = nik_check(as_user("front_office"), {"nik": "3.57301E+15"}).json()
    assert data["valid"] is False
    assert "3,57301E+15" in data["errors"][0]
    assert "Excel" in data["errors"][0]
    assert (data["sex"], data["district_code"]) == (None, None)


def test_nik_check_speaks_english_when_asked(personas):
    client = APIClient()
    token = api_token(personas["front_office"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")
    data = nik_check(client, {"nik": "3.57301E+15"}).json()
    assert data["valid"] is False
    assert "NIK tertulis" not in data["errors"][0]
    assert "spreadsheet" in data["errors"][0].lower()


def test_unknown_region_prefix_is_a_warning_not_an_error(as_user):
    data = nik_check(as_user("front_office"), {"nik": "9501014505900001"}).json()
    assert data["valid"] is True
    assert data["errors"] == []
    assert len(data["warnings"]) == 1 and "95.01.01" in data["warnings"][0]
    assert data["district_code"] == "95.01.01"


def test_birth_date_and_sex_that_disagree_are_warnings(as_user):
    data = nik_check(
        as_user("front_office"),
        {"nik": "7309134505900001", "birth_date": "06-05-1990", "sex": "L"},
    ).json()
    assert data["valid"] is True
    assert len(data["warnings"]) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"nik": 3.57301e15},
        {"nik": 7309134505900001},
        {"nik": ["7309134505900001"]},
        {},
        [],
        {"nik": "7309134505900001", "birth_date": "31-02-1990"},
        {"nik": "7309134505900001", "sex": "X"},
    ],
)
def test_badly_typed_nik_check_is_a_400_with_a_field_message(as_user, areas, body):
    response = nik_check(as_user("front_office"), body)
    assert response.status_code == 400
    assert response.json()


def test_nik_check_needs_a_signed_in_user():
    assert APIClient().post(f"{API}/nik/check", {"nik": "1"}, format="json").status_code == 401


# --- Cost -----------------------------------------------------------------------------------


def _bulk_people(count: int, start: int) -> None:
    """Households, people and a PPKS each, written directly: fast, and enough for the lists."""
    category = PPKSCategory.objects.get(number=9)
    homes = Household.objects.bulk_create(
        Household(
            kk_number=make_kk(MONCONGLOE, date(2016, 1, 1), start + i),
            village_id=LAPPARA,
            rt=1,
            rw=1,
        )
        for i in range(count)
    )
    people = Person.objects.bulk_create(
        Person(
            nik=make_nik(MONCONGLOE, date(1970, 1, 1), "L", start + i),
            household=home,
            area_code=LAPPARA,
            full_name=f"Orang {start + i}",
            sex="L",
            birth_date=date(1970, 1, 1),
            relationship=1,
        )
        for i, home in enumerate(homes)
    )
    PPKSAssignment.objects.bulk_create(
        PPKSAssignment(
            category=category,
            person=p,
            area_code=LAPPARA,
            identified_on=date(2025, 1, 1),
            source="visit",
        )
        for p in people
    )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["persons/", "households/", "ppks/", "persons/?nik=7309130101700003"]
)
def test_list_costs_the_same_number_of_queries_for_5_and_50_rows(
    as_user, areas, django_assert_max_num_queries, url
):
    client = as_user("operator_lappara")
    _bulk_people(5, start=1)
    with_five = _count_queries(client, f"{API}/{url}")
    _bulk_people(45, start=100)
    with django_assert_max_num_queries(with_five):
        response = client.get(f"{API}/{url}")
    assert len(response.json()["results"]) in (1, 50)
