"""A NIK or KK is searched by POST only: sent in an address (a bookmark, a shared link, a list
filter) it would stay in browser history and proxy and server logs, so there it finds no one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def rahma(personas) -> Client:
    client = Client()
    client.force_login(personas["operator_lappara"])
    return client


@pytest.fixture
def person(household_factory):
    return household_factory().members.order_by("id").first()


def test_the_search_page_does_not_search_a_nik_from_its_address(rahma, person):
    html = rahma.get(reverse("registry:search"), {"q": person.nik}).content.decode()
    assert person.full_name not in html
    assert "data-number-refused" in html
    # By POST, as its form sends it, the same NIK finds the person.
    posted = rahma.post(reverse("registry:search"), {"q": person.nik}).content.decode()
    assert person.full_name in posted


def test_the_search_page_still_takes_a_name_from_its_address(rahma, person):
    html = rahma.get(reverse("registry:search"), {"q": person.full_name}).content.decode()
    assert "data-number-refused" not in html
    assert f"/registri/penduduk/{person.uid}/" in html


def test_the_people_list_box_takes_a_name_not_a_nik(rahma, person):
    by_nik = rahma.get(reverse("registry:person_list"), {"q": person.nik}).content.decode()
    assert f"/registri/penduduk/{person.uid}/" not in by_nik
    assert "halaman Cari" in by_nik
    by_name = rahma.get(reverse("registry:person_list"), {"q": person.full_name})
    assert f"/registri/penduduk/{person.uid}/" in by_name.content.decode()


def test_list_pages_refuse_a_nik_or_kk_filter_in_the_address(rahma, person):
    people = rahma.get(reverse("registry:person_list"), {"nik": person.nik}).content.decode()
    assert f"/registri/penduduk/{person.uid}/" not in people
    families = rahma.get(
        reverse("registry:household_list"), {"kk": person.household.kk_number}
    ).content.decode()
    assert f"/registri/keluarga/{person.household.uid}/" not in families
