"""The registry pages as Bu Rahma (operator, Moncongloe Lappara) and her colleagues use them.

Forms are posted the way a browser sends them: every rendered field with its shown value, the
formset's management form, untouched member blocks included.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, browser_data, make_kk, make_nik
from pandu.core.models import AccessLog
from pandu.registry import actions
from pandu.registry.forms import HouseholdForm, MemberForm, MemberFormSet, PersonForm
from pandu.registry.models import (
    Household,
    Membership,
    Person,
    PPKSAssignment,
    PPKSCategory,
)

pytestmark = pytest.mark.django_db

MONCONGLOE = "73.09.13"
KK = make_kk(MONCONGLOE, date(2019, 6, 3), 77)
HEAD_NIK = make_nik(MONCONGLOE, date(1975, 1, 9), "L", 77)
WIFE_NIK = make_nik(MONCONGLOE, date(1979, 12, 30), "P", 77)


def d(value: date) -> str:
    """Dates as the operator types them."""
    return value.strftime("%d-%m-%Y")


def head(**extra) -> dict:
    return {
        "nik": HEAD_NIK,
        "full_name": "Andi Baso",
        "sex": "L",
        "birth_date": "09-01-1975",
        "relationship": "1",
        "marital_status": "2",
        **extra,
    }


def wife(**extra) -> dict:
    return {
        "nik": WIFE_NIK,
        "full_name": "Hasnah",
        "sex": "P",
        "birth_date": "30-12-1979",
        "relationship": "2",
        "marital_status": "2",
        **extra,
    }


def household_post(members: list[dict], reason: str = "Musdes 10-11-2026", **household) -> dict:
    """The new-household form as a browser submits it (it renders two member blocks)."""
    fields = {"kk_number": KK, "village": LAPPARA, "rt": "2", "rw": "1", **household}
    data = browser_data(HouseholdForm(), **fields)
    shown = max(len(MemberFormSet(prefix="m").forms), len(members))
    data.update(browser_data(MemberFormSet(prefix="m").management_form, TOTAL_FORMS=str(shown)))
    for i in range(shown):
        data.update(
            browser_data(MemberForm(prefix=f"m-{i}"), **(members[i] if i < len(members) else {}))
        )
    data["reason"] = reason
    return data


def registry_state() -> tuple:
    return (
        Household.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        PPKSAssignment.objects.count(),
        Household.history.count(),
        Person.history.count(),
        PPKSAssignment.history.count(),
    )


@pytest.fixture
def login(personas):
    def as_(name: str) -> Client:
        client = Client()
        client.force_login(personas[name])
        return client

    return as_


@pytest.fixture
def rahma(login) -> Client:
    return login("operator_lappara")


@pytest.fixture
def lappara_home(household_factory) -> Household:
    """Muhammad Rahman 1 (born 1980) and Siti Aminah 1 in Moncongloe Lappara."""
    return household_factory(LAPPARA)


def text(response) -> str:
    return response.content.decode()


# --- Registering a household ----------------------------------------------------------------


def test_operator_registers_a_household_with_two_members_and_lands_on_its_page(rahma):
    response = rahma.post(
        resolve_url("registry:household_create"), household_post([head(), wife()])
    )

    hh = Household.objects.get(kk_number=KK)
    assert response.status_code == 302
    assert response["Location"] == resolve_url("registry:household_detail", hh.uid)
    assert sorted(hh.members.values_list("full_name", flat=True)) == ["Andi Baso", "Hasnah"]
    assert Membership.objects.filter(household=hh, ended__isnull=True).count() == 2
    assert hh.history.get().history_change_reason == "Musdes 10-11-2026"
    page = rahma.get(response["Location"])
    assert "Andi Baso" in text(page) and "Hasnah" in text(page)
    assert "Keluarga berhasil didaftarkan." in text(page)


def test_an_untouched_second_member_block_is_ignored(rahma):
    response = rahma.post(resolve_url("registry:household_create"), household_post([head()]))
    assert response.status_code == 302
    assert Household.objects.get(kk_number=KK).members.count() == 1


def _future() -> str:
    return d(date.today() + timedelta(days=3))


def _twelve_years_old() -> date:
    today = date.today()
    return today.replace(year=today.year - 12) - timedelta(days=30)


def _child_head() -> dict:
    born = _twelve_years_old()
    return head(
        nik=make_nik(MONCONGLOE, born, "L", 78),
        full_name="Muh. Fikri",
        birth_date=d(born),
        marital_status="1",
    )


# name: (members, household fields, where the message is, text it contains)
BAD_INPUT = {
    "NIK with day 32": (
        [head(nik=HEAD_NIK[:6] + "32" + HEAD_NIK[8:])],
        {},
        ("m", 0, "nik"),
        "ke-7",
    ),
    "NIK as a spreadsheet number": (
        [head(nik="3.57301E+15")],
        {},
        ("m", 0, "nik"),
        "notasi ilmiah",
    ),
    "NIK of someone registered": (
        [head(nik=make_nik(MONCONGLOE, date(1980, 5, 17), "L", 11))],
        {},
        ("m", 0, "nik"),
        "sudah terdaftar",
    ),
    "KK already registered": (
        [head()],
        {"kk_number": make_kk(MONCONGLOE, date(2015, 3, 1), 1)},
        ("form", "kk_number"),
        "sudah terdaftar",
    ),
    "unknown village code": (
        [head()],
        {"village": "73.09.13.2999"},
        ("form", "village"),
        "tidak dikenal",
    ),
    "birth date in the future": (
        [head(birth_date=_future())],
        {},
        ("m", 0, "birth_date"),
        "masa depan",
    ),
    "12-year-old head without a reason": (
        [_child_head()],
        {},
        ("m", 0, "head_reason"),
        "di bawah 17 tahun",
    ),
    "5000-character name": ([head(full_name="A" * 5000)], {}, ("m", 0, "full_name"), "150"),
    "HTML in a name": (
        [head(full_name="<script>alert(1)</script>")],
        {},
        ("m", 0, "full_name"),
        "hanya boleh berisi huruf",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_with_a_message_on_the_field_and_nothing_written(
    case, rahma, lappara_home
):
    members, household, where, message = BAD_INPUT[case]
    before = registry_state()

    response = rahma.post(
        resolve_url("registry:household_create"), household_post(members, **household)
    )

    assert response.status_code == 200
    if where[0] == "form":
        errors = response.context["form"].errors.get(where[1], [])
    else:
        errors = response.context["formset"].forms[where[1]].errors.get(where[2], [])
    assert any(message in e for e in errors), (where, response.context["form"].errors, errors)
    page = text(response)
    assert 'class="invalid-feedback d-block"' in page
    assert "<script>alert(1)</script>" not in page
    assert registry_state() == before


def test_a_child_head_of_household_is_accepted_with_a_reason(rahma):
    child = _child_head() | {"head_reason": "Yatim piatu, tinggal bersama adik"}
    response = rahma.post(resolve_url("registry:household_create"), household_post([child]))
    assert response.status_code == 302
    assert Person.objects.get(full_name="Muh. Fikri").head_reason.startswith("Yatim piatu")


def test_address_with_html_is_shown_escaped(rahma):
    post = household_post([head()], address="<b>x</b> Dusun Lappara")
    response = rahma.post(resolve_url("registry:household_create"), post)
    assert response.status_code == 302

    for url in (response["Location"], resolve_url("registry:household_list")):
        page = text(rahma.get(url))
        assert "&lt;b&gt;x&lt;/b&gt; Dusun Lappara" in page, url
        assert "<b>x</b>" not in page, url


def test_operator_cannot_register_a_household_in_another_village(rahma):
    response = rahma.post(
        resolve_url("registry:household_create"), household_post([head()], village=BULU)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["village"]
    assert not Household.objects.exists()


# --- Finding people -------------------------------------------------------------------------


@pytest.fixture
def rahmans(household_factory) -> dict[str, Household]:
    """A Muhammad Rahman in Lappara, in Bulu next door and in Makassar."""

    def family(village, district, serial):
        return household_factory(
            village,
            members=[
                {
                    "nik": make_nik(district, date(1970, 2, 3), "L", serial),
                    "full_name": "Muhammad Rahman",
                    "sex": "L",
                    "birth_date": date(1970, 2, 3),
                    "relationship": 1,
                    "marital_status": 2,
                }
            ],
        )

    return {
        "lappara": family(LAPPARA, MONCONGLOE, 501),
        "bulu": family(BULU, MONCONGLOE, 502),
        "makassar": family(MAKASSAR_VILLAGE, "73.71.01", 503),
    }


def found(response) -> list[str]:
    """uids of the people in the search results."""
    return re.findall(r"/registri/penduduk/([0-9a-f-]{36})/", text(response))


def test_typing_moh_rahman_finds_muhammad_rahman(rahma, rahmans):
    lappara = str(rahmans["lappara"].members.get().uid)
    by_get = rahma.get(resolve_url("registry:search"), {"q": "moh rahman"})
    by_post = rahma.post(resolve_url("registry:search"), {"q": "moh rahman"})
    assert "Muhammad Rahman" in text(by_get)
    assert found(by_get) == [lappara]
    assert found(by_post) == [lappara]


def test_search_by_nik_is_a_post_and_finds_the_person(rahma, rahmans):
    person = rahmans["lappara"].members.get()
    response = rahma.post(resolve_url("registry:search"), {"q": person.nik})
    assert found(response) == [str(person.uid)]


def test_search_by_kk_finds_the_members_of_the_family(rahma, lappara_home):
    response = rahma.post(resolve_url("registry:search"), {"q": lappara_home.kk_number})
    assert sorted(found(response)) == sorted(str(p.uid) for p in lappara_home.members.all())


def test_search_answers_htmx_with_the_results_only(rahma, rahmans):
    response = rahma.post(
        resolve_url("registry:search"), {"q": "moh rahman"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in text(response)
    assert "Muhammad Rahman" in text(response)


def test_search_never_finds_people_outside_the_users_area(rahma, login, rahmans):
    makassar = rahmans["makassar"].members.get()
    assert len(found(rahma.post(resolve_url("registry:search"), {"q": "muhammad rahman"}))) == 1
    by_nik = rahma.post(resolve_url("registry:search"), {"q": makassar.nik})
    assert found(by_nik) == []
    assert "Tidak ditemukan di wilayah Anda." in text(by_nik)
    # The district's TKSK sees Lappara and Bulu, still not Makassar.
    tksk = login("tksk_moncongloe").post(resolve_url("registry:search"), {"q": "moh rahman"})
    assert len(found(tksk)) == 2
    assert str(makassar.uid) not in text(tksk)


# --- Records and their history --------------------------------------------------------------


def test_household_page_shows_members_ppks_and_the_reason_of_an_edit(rahma, personas, lappara_home):
    head_person = lappara_home.members.get(relationship=1)
    actions.assign_ppks(
        personas["operator_lappara"],
        category=PPKSCategory.objects.get(number=9),
        person=head_person,
        identified_on=date(2025, 1, 6),
        source="musdes",
    )
    edit = browser_data(HouseholdForm(instance=lappara_home, versioned=True), rt="5")
    edit["reason"] = "Pindah RT menurut Musdes 12-01-2026"

    response = rahma.post(resolve_url("registry:household_edit", lappara_home.uid), edit)

    assert response.status_code == 302
    page = text(rahma.get(response["Location"]))
    assert "Muhammad Rahman 1" in page and "Siti Aminah 1" in page
    assert "9. Penyandang Disabilitas" in page
    assert "Pindah RT menurut Musdes 12-01-2026" in page
    assert re.search(r"RT:</span> <del>2</del> → <strong>5</strong>", page), page
    assert "operator_lappara" in page


def test_person_edit_keeps_the_reason_and_before_after_in_the_history(rahma, lappara_home):
    person = lappara_home.members.get(relationship=2)
    edit = browser_data(
        PersonForm(instance=person, versioned=True), full_name="Siti Aminah Daeng Ngai"
    )
    edit["reason"] = "Sesuai KTP"
    response = rahma.post(resolve_url("registry:person_edit", person.uid), edit)
    assert response.status_code == 302
    page = text(rahma.get(response["Location"]))
    assert "Sesuai KTP" in page
    assert "<del>Siti Aminah 1</del> → <strong>Siti Aminah Daeng Ngai</strong>" in page


@pytest.fixture
def violence_victim(login, lappara_home) -> Person:
    """Siti Aminah 1, recorded by the social worker as a victim of violence (category 19)."""
    person = lappara_home.members.get(relationship=2)
    category = PPKSCategory.objects.get(number=19)
    response = login("social_worker").post(
        resolve_url("registry:ppks_add", "person", person.uid),
        {"category": category.pk, "identified_on": "06-01-2026", "source": "visit", "note": ""},
    )
    assert response.status_code == 302
    assert PPKSAssignment.objects.filter(person=person, category=category).exists()
    return person


def test_operator_does_not_see_a_sensitive_ppks_on_the_person_or_household_page(
    rahma, personas, violence_victim
):
    for url in (
        resolve_url("registry:person_detail", violence_victim.uid),
        resolve_url("registry:household_detail", violence_victim.household.uid),
    ):
        response = rahma.get(url)
        assert response.status_code == 200
        assert "Korban Tindak Kekerasan" not in text(response), url
    assert not AccessLog.objects.filter(
        user=personas["operator_lappara"], kind=AccessLog.Kind.VIEW_SENSITIVE
    ).exists()


def test_social_worker_sees_the_sensitive_ppks_and_the_view_is_logged(
    login, personas, violence_victim
):
    response = login("social_worker").get(
        resolve_url("registry:person_detail", violence_victim.uid)
    )
    assert "Korban Tindak Kekerasan" in text(response)
    log = AccessLog.objects.get(
        user=personas["social_worker"], kind=AccessLog.Kind.VIEW_SENSITIVE, object_type="person"
    )
    assert log.object_uid == str(violence_victim.uid)
    assert violence_victim.nik not in f"{log.path} {log.detail}"


def test_operator_cannot_pick_a_sensitive_category(rahma, lappara_home):
    person = lappara_home.members.get(relationship=2)
    url = resolve_url("registry:ppks_add", "person", person.uid)
    category = PPKSCategory.objects.get(number=19)
    assert f'value="{category.pk}"' not in text(rahma.get(url))
    before = registry_state()
    response = rahma.post(
        url, {"category": category.pk, "identified_on": "06-01-2026", "source": "visit"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    assert registry_state() == before


def test_flagged_list_shows_a_person_whose_nik_birth_date_disagrees(rahma, household_factory):
    household_factory(
        LAPPARA,
        members=[
            {
                "nik": make_nik(MONCONGLOE, date(1981, 3, 4), "L", 601),
                "full_name": "Baharuddin",
                "sex": "L",
                "birth_date": date(1981, 4, 3),  # the NIK says 04-03-1981
                "relationship": 1,
                "marital_status": 2,
            },
            {
                "nik": make_nik(MONCONGLOE, date(1985, 1, 1), "P", 602),
                "full_name": "Rosmini",
                "sex": "P",
                "birth_date": date(1985, 1, 1),
                "relationship": 2,
                "marital_status": 2,
            },
        ],
    )
    page = text(rahma.get(resolve_url("registry:flagged")))
    assert "Baharuddin" in page
    assert "Rosmini" not in page
    person = Person.objects.get(full_name="Baharuddin")
    detail = text(rahma.get(resolve_url("registry:person_detail", person.uid)))
    assert "Tanggal lahir di NIK berbeda dengan tanggal lahir tercatat" in detail


def test_recording_a_death_keeps_the_person_ends_the_membership_and_writes_history(
    rahma, lappara_home
):
    person = lappara_home.members.get(relationship=1)
    died = date.today() - timedelta(days=2)
    response = rahma.post(
        resolve_url("registry:person_status", person.uid),
        {"status": "deceased", "on": d(died), "reason": "Meninggal dunia, surat keterangan desa"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "deceased"
    assert person.status_date == died
    assert Membership.objects.get(person=person).ended == died
    last = person.history.order_by("-history_date").first()
    assert last.history_change_reason == "Meninggal dunia, surat keterangan desa"
    household_page = text(rahma.get(resolve_url("registry:household_detail", lappara_home.uid)))
    assert "Mantan anggota" in household_page
    assert "Meninggal dunia, surat keterangan desa" in household_page


def test_death_in_the_future_is_refused_on_the_form(rahma, lappara_home):
    person = lappara_home.members.get(relationship=1)
    before = registry_state()
    response = rahma.post(
        resolve_url("registry:person_status", person.uid),
        {"status": "deceased", "on": _future(), "reason": "Salah ketik"},
    )
    assert response.status_code == 200
    assert "masa depan" in text(response)
    assert registry_state() == before


def test_neglected_elderly_category_is_refused_for_a_45_year_old(rahma, lappara_home):
    person = lappara_home.members.get(relationship=1)
    assert person.age() < 60
    before = registry_state()
    response = rahma.post(
        resolve_url("registry:ppks_add", "person", person.uid),
        {
            "category": PPKSCategory.objects.get(number=8).pk,
            "identified_on": d(date.today()),
            "source": "visit",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["category"]
    assert any("Lanjut Usia Terlantar" in e and "≥60" in e for e in errors), errors
    assert registry_state() == before


# --- NIK tools ------------------------------------------------------------------------------


def test_nik_tool_says_whether_a_nik_is_valid(rahma):
    url = resolve_url("registry:nik_tool")
    assert rahma.get(url).status_code == 200
    valid = text(rahma.post(url, {"nik": HEAD_NIK}))
    assert 'data-valid="true"' in valid and "NIK sah." in valid
    invalid = text(rahma.post(url, {"nik": HEAD_NIK[:6] + "32" + HEAD_NIK[8:]}))
    assert 'data-valid="false"' in invalid and "ke-7" in invalid
    partial = text(rahma.post(url, {"nik": HEAD_NIK}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and 'data-valid="true"' in partial


def test_inline_nik_check_answers_without_repeating_the_nik(rahma, lappara_home):
    url = resolve_url("registry:nik_field_check")
    registered = lappara_home.members.first().nik
    fresh = text(rahma.post(url, {"m-1-nik": HEAD_NIK}))
    taken = text(rahma.post(url, {"m-1-nik": registered}))
    wrong = text(rahma.post(url, {"nik": "3.57301E+15"}))
    assert "Susunan NIK sah." in fresh and HEAD_NIK not in fresh
    assert "sudah terdaftar" in taken and registered not in taken
    assert "notasi ilmiah" in wrong
    assert rahma.get(url).status_code == 405


# --- Language -------------------------------------------------------------------------------


def test_switching_the_language_to_english(rahma):
    assert '<html lang="id">' in text(rahma.get("/"))
    response = rahma.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    # English translations are not written yet; the page at least declares its language.
    assert '<html lang="en">' in text(rahma.get("/"))
    rahma.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert '<html lang="id">' in text(rahma.get("/"))


# --- Query counts ---------------------------------------------------------------------------


def _queries(client, url, data=None, method="get", rows: int | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    if rows is not None:  # the page really lists every family, or the count proves nothing
        assert text(response).count("Muhammad Rahman") >= rows
    return len(ctx)


@pytest.mark.parametrize(
    "url,data,method,heads_shown",
    [
        ("registry:household_list", None, "get", 30),
        ("registry:person_list", None, "get", 25),  # 50 a page: 25 couples
        ("registry:search", {"q": "moh rahman"}, "get", 30),
        ("registry:search", {"q": "moh rahman"}, "post", 30),
    ],
)
def test_list_pages_cost_the_same_queries_for_3_or_30_households(
    url, data, method, heads_shown, login, household_factory
):
    client = login("admin_maros")
    url = resolve_url(url)
    for _ in range(3):
        household_factory(LAPPARA)
    _queries(client, url, data, method)  # the session is read once per client
    few = _queries(client, url, data, method, rows=3)
    for _ in range(27):
        household_factory(BULU)
    many = _queries(client, url, data, method, rows=heads_shown)
    assert many == few
