"""Areas over the API: public reference data, found by level, parent, code or name."""

import pytest
from rest_framework.test import APIClient

from pandu.conftest import api_token

API = "/api/v1/areas"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client_as(personas):
    def make(name: str) -> APIClient:
        client = APIClient()
        token = api_token(personas[name])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_any_signed_in_user_can_list_areas_even_a_partner(client_as):
    assert "73.71.01.1001" in codes(client_as("partner").get(f"{API}/", {"page_size": 100}))


def test_areas_need_a_signed_in_user(areas):
    assert APIClient().get(f"{API}/").status_code == 401


def test_areas_are_filtered_by_level(client_as):
    found = codes(client_as("operator_lappara").get(f"{API}/", {"level": 2}))
    assert found == ["73.09", "73.71"]


def test_children_of_a_district_are_listed_by_parent(client_as):
    found = codes(client_as("operator_lappara").get(f"{API}/", {"parent": "73.09.13"}))
    assert found == ["73.09.13.2001", "73.09.13.2002", "73.09.13.2003"]


def test_code_prefix_finds_everything_inside_an_area(client_as):
    found = codes(client_as("operator_lappara").get(f"{API}/", {"q": "73.71"}))
    assert found == ["73.71", "73.71.01", "73.71.01.1001"]


def test_name_prefix_and_name_word_find_areas(client_as):
    client = client_as("operator_lappara")
    assert codes(client.get(f"{API}/", {"q": "monc", "level": 4})) == [
        "73.09.13.2001",
        "73.09.13.2002",
        "73.09.13.2003",
    ]
    assert codes(client.get(f"{API}/", {"q": "Lappara"})) == ["73.09.13.2003"]


def test_an_unknown_level_is_a_400(client_as):
    assert client_as("operator_lappara").get(f"{API}/", {"level": 9}).status_code == 400


def test_area_is_retrieved_by_its_dotted_code(client_as):
    response = client_as("head").get(f"{API}/73.09.13.2002/")
    assert response.status_code == 200
    assert response.json() == {
        "code": "73.09.13.2002",
        "name": "Moncongloe Bulu",
        "level": 4,
        "kind": "Desa",
        "parent": "73.09.13",
    }


def test_regency_and_city_are_told_apart(client_as):
    client = client_as("head")
    assert client.get(f"{API}/73.09/").json()["kind"] == "Kabupaten"
    assert client.get(f"{API}/73.71/").json()["kind"] == "Kota"


def test_unknown_or_malformed_area_code_is_a_404(client_as):
    client = client_as("head")
    assert client.get(f"{API}/73.09.99/").status_code == 404
    assert client.get(f"{API}/abc/").status_code == 404


def test_area_pages_follow_the_code_order(client_as):
    client = client_as("operator_lappara")
    first = client.get(f"{API}/", {"page_size": 4}).json()
    second = client.get(first["next"]).json()
    assert [r["code"] for r in first["results"]] == ["73", "73.09", "73.09.01", "73.09.01.1001"]
    assert second["results"][0]["code"] == "73.09.13"
