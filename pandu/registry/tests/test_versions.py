"""Two people editing one household or person: nobody's change is silently lost.

Each form is posted the way a browser sends it, from the page as it was when its user opened it
(the version and the seal of what it showed travel in hidden fields).
"""

from __future__ import annotations

import html
import re

import pytest
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from pandu.conftest import LAPPARA, api_token, browser_data
from pandu.core.versions import VersionConflict
from pandu.registry import actions
from pandu.registry.forms import HouseholdForm, PersonForm
from pandu.registry.models import Household, Person

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def login(personas):
    def as_(name: str) -> Client:
        client = Client()
        client.force_login(personas[name])
        return client

    return as_


@pytest.fixture
def home(household_factory) -> Household:
    return household_factory(LAPPARA)


@pytest.fixture
def wife(home) -> Person:
    return home.members.get(relationship=2)


def person_form_as_shown(person: Person, user, **changes) -> dict:
    """What a user's browser sends: the form as it was when they opened it, with their edits."""
    fresh = Person.objects.get(pk=person.pk)
    data = browser_data(PersonForm(instance=fresh, user=user, versioned=True), **changes)
    data["reason"] = "Sesuai KTP"
    return data


def household_form_as_shown(household: Household, **changes) -> dict:
    fresh = Household.objects.get(pk=household.pk)
    data = browser_data(HouseholdForm(instance=fresh, versioned=True), **changes)
    data["reason"] = "Musdes"
    return data


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_edit_page_carries_the_version_it_shows(login, wife):
    page = login("operator_lappara").get(resolve_url("registry:person_edit", wife.uid))
    body = page.content.decode()
    assert re.search(r'<input type="hidden" name="version" value="1"', body)
    seal = re.search(r'<input type="hidden" name="version_seen" value="([^"]+)"', body)
    assert seal is not None
    assert wife.nik not in seal.group(1)  # fingerprints, never the values


def test_a_field_the_user_did_not_touch_keeps_the_other_persons_newer_value(login, personas, wife):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    # Both open the form on version 1.
    rahmas_page = person_form_as_shown(wife, rahma, full_name="Siti Aminah Daeng Ngai")
    admins_page = person_form_as_shown(wife, admin, birth_place="Maros")

    first = login("operator_lappara").post(
        resolve_url("registry:person_edit", wife.uid), rahmas_page
    )
    second = login("admin_maros").post(resolve_url("registry:person_edit", wife.uid), admins_page)

    assert first.status_code == 302 and second.status_code == 302
    wife.refresh_from_db()
    assert wife.full_name == "Siti Aminah Daeng Ngai"  # not put back by the second form
    assert wife.birth_place == "Maros"
    assert wife.version == 3


def test_the_history_names_who_changed_which_field(login, personas, wife):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    rahmas_page = person_form_as_shown(wife, rahma, full_name="Siti Aminah Daeng Ngai")
    admins_page = person_form_as_shown(wife, admin, birth_place="Maros")
    login("operator_lappara").post(resolve_url("registry:person_edit", wife.uid), rahmas_page)
    login("admin_maros").post(resolve_url("registry:person_edit", wife.uid), admins_page)

    rows = list(wife.history.order_by("history_id"))
    changes = [
        (row.history_user.username, sorted(c.field for c in row.diff_against(prev).changes))
        for prev, row in zip(rows, rows[1:], strict=False)
    ]
    assert changes == [
        ("operator_lappara", ["full_name"]),
        ("admin_maros", ["birth_place"]),
    ]


def test_both_changing_the_same_field_shows_the_form_again_with_who_changed_it(
    login, personas, wife
):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    admin.first_name, admin.last_name = "Andi", "Admin"
    admin.save()
    rahmas_page = person_form_as_shown(wife, rahma, full_name="Siti Aminah Daeng Ngai")
    admins_page = person_form_as_shown(wife, admin, full_name="Siti Aminah Binti Lau")
    login("admin_maros").post(resolve_url("registry:person_edit", wife.uid), admins_page)

    rahma_client = login("operator_lappara")
    refused = rahma_client.post(resolve_url("registry:person_edit", wife.uid), rahmas_page)

    assert refused.status_code == 200
    page = text(refused)
    assert "Data ini sudah diubah orang lain sejak Anda membukanya (versi 1, kini versi 2)." in page
    assert re.search(
        r"Nama lengkap kini “Siti Aminah Binti Lau”, diubah oleh Andi Admin pada "
        r"\d\d-\d\d-\d{4} \d\d:\d\d\. Anda juga mengubah isian ini\.",
        page,
    ), page
    wife.refresh_from_db()
    assert wife.full_name == "Siti Aminah Binti Lau" and wife.version == 2
    # The form keeps Rahma's text and is now based on version 2: saving again is her choice.
    assert 'value="Siti Aminah Daeng Ngai"' in refused.content.decode()
    again = browser_data(refused.context["form"])
    again["reason"] = "Sesuai KTP, sudah dicek"
    saved = rahma_client.post(resolve_url("registry:person_edit", wife.uid), again)
    assert saved.status_code == 302
    wife.refresh_from_db()
    assert wife.full_name == "Siti Aminah Daeng Ngai" and wife.version == 3


def test_a_conflict_shows_the_newer_values_of_the_fields_only_the_other_person_changed(login, home):
    mine = household_form_as_shown(home, rw="4", address="Jl. Poros Moncongloe 5")
    theirs = household_form_as_shown(home, rw="3", rt="7", assets=["tv", "motorcycle"])
    assert login("admin_maros").post(resolve_url("registry:household_edit", home.uid), theirs)[
        "Location"
    ]

    refused = login("operator_lappara").post(resolve_url("registry:household_edit", home.uid), mine)

    assert refused.status_code == 200
    page = text(refused)
    assert "RW kini “3”, diubah oleh admin_maros" in page
    assert "Anda juga mengubah isian ini." in page
    assert "RT kini “7”, diubah oleh admin_maros" in page
    assert "Aset kini “Televisi layar datar, Sepeda motor”" in page  # choices by their labels
    form = refused.context["form"]
    # The user's own changes stay; what only the other person changed shows its new value.
    assert form["rw"].value() == "4" and form["address"].value() == "Jl. Poros Moncongloe 5"
    assert str(form["rt"].value()) == "7"
    assert sorted(form["assets"].value()) == ["motorcycle", "tv"]
    home.refresh_from_db()
    assert (home.rt, home.rw, home.address) == (7, 3, "")


def test_a_form_without_its_version_is_refused_with_a_message(login, wife):
    data = browser_data(PersonForm(instance=wife), full_name="Siti Aminah Daeng Ngai")
    data["reason"] = "Sesuai KTP"
    response = login("operator_lappara").post(resolve_url("registry:person_edit", wife.uid), data)
    assert response.status_code == 200
    assert "Muat ulang halaman" in text(response)
    wife.refresh_from_db()
    assert wife.full_name != "Siti Aminah Daeng Ngai" and wife.version == 1


def test_a_stale_copy_saved_outside_an_action_is_refused_not_written(personas, wife):
    stale = Person.objects.get(pk=wife.pk)
    actions.update_person(personas["admin_maros"], wife, {"birth_place": "Maros"}, "KTP")
    stale.full_name = "Nama Lama"
    with pytest.raises(VersionConflict), transaction.atomic():
        stale.save()
    wife.refresh_from_db()
    assert (wife.birth_place, wife.full_name, wife.version) == ("Maros", "Siti Aminah 1", 2)


# --- The API: ETag and If-Match --------------------------------------------------------------


@pytest.fixture
def api(personas):
    def as_(name: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Token {api_token(personas[name])}")

    return as_


def test_a_person_is_read_with_its_etag_and_changed_with_it(api, wife):
    client = api("operator_lappara")
    read = client.get(f"{API}/persons/{wife.uid}/")
    assert read["ETag"] == '"1"'

    changed = client.patch(
        f"{API}/persons/{wife.uid}/",
        {"birth_place": "Maros", "reason": "KTP"},
        content_type="application/json",
        headers={"If-Match": read["ETag"]},
    )

    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'
    wife.refresh_from_db()
    assert wife.birth_place == "Maros"


def test_an_api_write_without_if_match_is_refused_and_writes_nothing(api, wife):
    response = api("operator_lappara").patch(
        f"{API}/persons/{wife.uid}/",
        {"birth_place": "Maros", "reason": "KTP"},
        content_type="application/json",
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    wife.refresh_from_db()
    assert wife.birth_place != "Maros" and wife.version == 1


def test_an_api_write_based_on_an_old_version_is_412_with_what_changed(api, personas, wife):
    client = api("operator_lappara")
    etag = client.get(f"{API}/persons/{wife.uid}/")["ETag"]
    actions.update_person(
        personas["admin_maros"], wife, {"full_name": "Siti Aminah Binti Lau"}, "KTP"
    )

    response = client.patch(
        f"{API}/persons/{wife.uid}/",
        {"birth_place": "Maros", "reason": "KTP"},
        content_type="application/json",
        headers={"If-Match": etag},
    )

    assert response.status_code == 412
    assert response["ETag"] == '"2"'
    body = response.json()
    assert body["version"] == 2 and body["etag"] == '"2"'
    assert [(c["field"], c["value"], c["by"]) for c in body["changed"]] == [
        ("full_name", "Siti Aminah Binti Lau", "admin_maros")
    ]
    wife.refresh_from_db()
    assert wife.birth_place != "Maros" and wife.version == 2


def test_a_household_patch_honours_if_match(api, home):
    client = api("operator_lappara")
    etag = client.get(f"{API}/households/{home.uid}/")["ETag"]
    first = client.patch(
        f"{API}/households/{home.uid}/",
        {"rt": 5, "reason": "Musdes"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    again = client.patch(
        f"{API}/households/{home.uid}/",
        {"rt": 6, "reason": "Musdes"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert first.status_code == 200 and again.status_code == 412
    assert [c["field"] for c in again.json()["changed"]] == ["rt"]
    home.refresh_from_db()
    assert home.rt == 5


def test_if_match_star_writes_whatever_the_version(api, personas, wife):
    actions.update_person(personas["admin_maros"], wife, {"birth_place": "Gowa"}, "KTP")
    response = api("operator_lappara").patch(
        f"{API}/persons/{wife.uid}/",
        {"birth_place": "Maros", "reason": "KTP"},
        content_type="application/json",
        headers={"If-Match": "*"},
    )
    assert response.status_code == 200
    wife.refresh_from_db()
    assert wife.birth_place == "Maros" and wife.version == 3


def test_a_change_of_village_raises_the_version_of_the_members(personas, home):
    before = dict(Person.objects.filter(household=home).values_list("pk", "version"))
    actions.update_household(personas["admin_maros"], home, {"village": "73.09.13.2002"}, "Pindah")
    after = dict(Person.objects.filter(household=home).values_list("pk", "version"))
    assert {pk: v - 1 for pk, v in after.items()} == before
    assert set(Person.objects.filter(household=home).values_list("area_code", flat=True)) == {
        "73.09.13.2002"
    }
