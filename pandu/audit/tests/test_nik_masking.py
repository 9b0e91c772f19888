"""NIKs as each role reads them: in full for those who register, verify and decide on people
(``registry.nik``: administrator, operator, TKSK, social worker, front office), masked for the
auditor on every list, page, API answer and export; "Tampilkan NIK" reveals one person's NIK,
each reveal logged without the number. Searching by NIK works for every role that could."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.accounts.roles import ROLE_CAPS, Cap
from pandu.conftest import PERSONAS, api_token
from pandu.core.models import AccessLog
from pandu.registry import actions
from pandu.registry.masking import mask_nik

from .conftest import signed_in

pytestmark = pytest.mark.django_db

FULL = ["admin_maros", "operator_lappara", "tksk_moncongloe", "social_worker", "front_office"]
MASKED = ["auditor"]


def _head(families):
    return families["maros"].members.order_by("relationship").first()


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def test_the_roles_with_full_niks_are_those_that_register_and_verify_people():
    holders = {p for p, (role, _a) in PERSONAS.items() if Cap.VIEW_NIK in ROLE_CAPS[role]}
    assert holders == {*FULL, "operator_bulu", "admin_makassar"}
    assert mask_nik("7309135705800011") == "7309********0011"
    assert mask_nik("123") == "****" and mask_nik("") == ""


@pytest.mark.parametrize("who", FULL + MASKED)
def test_lists_show_the_nik_as_the_role_may_read_it(who, families, personas):
    person = _head(families)
    hh = families["maros"]
    client = signed_in(personas[who])
    full = who in FULL
    pages = {
        "person list": client.get(reverse("registry:person_list")),
        "household members": client.get(reverse("registry:household_detail", args=[hh.uid])),
        "search": client.post(reverse("registry:search"), {"q": person.full_name}),
        "search by NIK": client.post(reverse("registry:search"), {"q": person.nik}),
    }
    for name, response in pages.items():
        text = response.content.decode()
        assert response.status_code == 200, name
        assert person.full_name in text, f"{who}: {name} does not find the person"
        # The NIK column's cells (the search box keeps what the user typed).
        cells = set(re.findall(r'<td class="nik"[^>]*>([^<]*)</td>', text))
        assert (person.nik in cells) == full, f"{who}: {name}"
        assert (person.masked_nik in cells) != full, f"{who}: {name}"
        if name != "search by NIK":
            assert (person.nik in text) == full, f"{who}: {name}"


@pytest.mark.parametrize("who", FULL + MASKED)
def test_the_api_gives_the_nik_as_the_role_may_read_it(who, families, personas):
    person = _head(families)
    client = _api(personas[who])
    expected = person.nik if who in FULL else person.masked_nik
    listed = client.get(reverse("api:person-list")).json()["results"]
    assert {r["nik"] for r in listed if r["uid"] == str(person.uid)} == {expected}
    detail = client.get(reverse("api:person-detail", args=[person.uid])).json()
    assert detail["nik"] == expected
    members = client.get(reverse("api:household-detail", args=[families["maros"].uid])).json()
    assert expected in {m["nik"] for m in members["members"]}
    # Searching by NIK in the body still finds the person.
    found = client.post(reverse("api:person-search"), {"nik": person.nik}, format="json")
    assert [r["nik"] for r in found.json()["results"]] == [expected]


@pytest.mark.parametrize("who", ["admin_maros", "auditor"])
def test_an_export_masks_the_nik_for_roles_without_it(who, families, personas):
    person = _head(families)
    response = signed_in(personas[who]).get(reverse("exchange:export_persons"), {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    niks = {r[1] for r in rows[1:] if person.full_name in r}
    assert niks == {person.nik if who == "admin_maros" else person.masked_nik}


def test_roles_with_the_capability_read_the_nik_on_the_page_unlogged(families, personas):
    person = _head(families)
    text = (
        signed_in(personas["operator_lappara"])
        .get(reverse("registry:person_detail", args=[person.uid]))
        .content.decode()
    )
    assert person.nik in text and "data-nik-reveal" not in text
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.NIK_REVEAL).exists()


def test_the_auditor_reveals_one_nik_and_the_reveal_is_logged_without_it(families, personas):
    person = _head(families)
    auditor = personas["auditor"]
    client = signed_in(auditor)
    page = client.get(reverse("registry:person_detail", args=[person.uid])).content.decode()
    assert person.nik not in page and person.masked_nik in page and "data-nik-reveal" in page
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.NIK_REVEAL).exists()
    url = reverse("registry:person_nik_reveal", args=[person.uid])
    assert url in page
    shown = client.post(url, HTTP_HX_REQUEST="true")
    assert shown.status_code == 200 and person.nik in shown.content.decode()
    assert shown["Cache-Control"].startswith("max-age=0")
    entry = AccessLog.objects.get(kind=AccessLog.Kind.NIK_REVEAL)
    assert entry.user == auditor and entry.object_type == "person"
    assert entry.object_uid == str(person.uid) and entry.area_code == person.area_code
    for value in (entry.path, entry.detail, entry.object_uid, entry.user_agent):
        assert person.nik not in value and not re.search(r"\d{16}", value)
    # Without JavaScript the form posts and the whole page comes back with the number.
    page = client.post(url).content.decode()
    assert person.nik in page and "data-nik-revealed" in page
    assert AccessLog.objects.filter(kind=AccessLog.Kind.NIK_REVEAL).count() == 2


def test_reveals_beyond_the_hourly_limit_are_refused_and_logged(families, personas, settings):
    settings.PANDU_NIK_REVEALS = 2
    person = _head(families)
    client = signed_in(personas["auditor"])
    url = reverse("registry:person_nik_reveal", args=[person.uid])
    for _n in range(2):
        assert person.nik in client.post(url, HTTP_HX_REQUEST="true").content.decode()
    refused = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert person.nik not in refused and "data-nik-refused" in refused
    details = list(
        AccessLog.objects.filter(kind=AccessLog.Kind.NIK_REVEAL)
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == ["full NIK shown", "full NIK shown", "refused (limit)"]


def test_a_corrected_nik_is_masked_in_the_history_of_masked_readers(families, personas):
    person = _head(families)
    old = person.nik
    new = old[:12] + "0999"
    actions.update_person(personas["admin_maros"], person, {"nik": new}, "salah ketik")
    auditor_page = signed_in(personas["auditor"]).get(
        reverse("registry:person_detail", args=[person.uid])
    )
    text = auditor_page.content.decode()
    assert old not in text and new not in text and mask_nik(old) in text
    admin_page = signed_in(personas["admin_maros"]).get(
        reverse("registry:person_detail", args=[person.uid])
    )
    assert old in admin_page.content.decode()
    history = _api(personas["auditor"]).get(reverse("api:person-history", args=[person.uid]))
    changes = [c for h in history.json() for c in h["changes"] if c["field"] == "nik"]
    assert changes == [
        {"field": "nik", "label": changes[0]["label"], "old": mask_nik(old), "new": mask_nik(new)}
    ]
