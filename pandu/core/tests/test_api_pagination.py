"""API lists: at most 200 rows a page, and a cursor the server did not issue is a 400.

Every list endpoint is found in the URL configuration, so a new one is covered without being
named here. Each is called as the first persona that may read it (a plain call answers 200),
then with cursors an attacker would try.
"""

from __future__ import annotations

import base64
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from pandu.conftest import PERSONAS, make_nik
from pandu.core.api import KeysetPagination
from pandu.core.lists import MAX_PER_PAGE

pytestmark = pytest.mark.django_db


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


TAMPERED = {
    "garbage": "garbage",
    "not base64 at all": "%%%~~~",
    "base64 of nonsense": _b64("nonsense"),
    "a position that is not a number": _b64("p=abc"),
    "a position too big for the database": _b64("p=" + "9" * 30),
    "a huge offset": _b64("o=999999999999"),
    "a negative offset": _b64("o=-3"),
    "a reverse flag that is not a flag": _b64("r=maybe"),
    "a cursor of another server": _b64("p=12") + ":AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
}


def _api_lists() -> list[tuple[str, str]]:
    """(URL name, method) of every paginated list in /api/: each ``list`` route and each
    ``search`` route (a POST whose next page is the same POST with the cursor in the URL).
    Format-suffix twins are left out."""
    found = []

    def walk(patterns, namespace: str | None):
        for p in patterns:
            if isinstance(p, URLResolver):
                # A namespace inside another (/api/v1/payments/ in the API's) reverses as both.
                inner = ":".join(n for n in (namespace, p.namespace) if n) if p.namespace else None
                walk(p.url_patterns, inner or namespace)
            elif isinstance(p, URLPattern):
                cls = getattr(p.callback, "cls", None)
                actions = getattr(p.callback, "actions", None) or {}
                if cls is None or "format" in str(p.pattern) or not p.name:
                    continue
                if getattr(cls, "pagination_class", None) is None:
                    continue
                for method, name in actions.items():
                    handler = getattr(cls, name, None)
                    paged = getattr(handler, "kwargs", {}).get("pagination_class", True)
                    if name in ("list", "search") and paged is not None:
                        found.append((f"{namespace}:{p.name}", method))

    walk(get_resolver().url_patterns, None)
    return sorted(set(found))


API_LISTS = _api_lists()


def test_the_api_lists_are_found_in_the_url_configuration():
    names = {name for name, _method in API_LISTS}
    assert {
        "api:person-list",
        "api:household-list",
        "api:area-list",
        "dedup-api:pair-list",
        "proposals-api:proposal-item-list",
        "services-api:intake-list",
    } <= names
    assert ("api:person-search", "post") in API_LISTS


@pytest.fixture
def reader(personas):
    """The first persona for whom a plain call of the list answers 200, with its client."""

    def find(url: str, method: str) -> APIClient:
        for username in PERSONAS:
            client = APIClient()
            client.force_authenticate(personas[username])
            response = _call(client, method, url)
            if response.status_code == 200:
                return client
        raise AssertionError(f"no persona may read {url}")

    return find


def _call(client, method: str, url: str, **params):
    if method == "post":
        query = "&".join(f"{k}={v}" for k, v in params.items())
        body = {"nik": make_nik("73.09.13", date(1980, 5, 17), "L", 11)}
        return client.post(url + ("?" + query if query else ""), body, format="json")
    return client.get(url, params)


@pytest.mark.parametrize("name,method", API_LISTS)
def test_a_tampered_cursor_is_a_400_with_a_clear_message_on_every_api_list(name, method, reader):
    url = reverse(name)
    client = reader(url, method)
    for what, cursor in TAMPERED.items():
        response = _call(client, method, url, cursor=cursor)
        assert response.status_code == 400, (what, response.status_code)
        assert "cursor" in response.json(), what
        assert "halaman pertama" in str(response.json()["cursor"]), what


@pytest.fixture
def many_areas(areas):
    """More areas than the biggest page: villages under Moncongloe."""
    from pandu.regions.models import Area, Level

    Area.objects.bulk_create(
        Area(
            code=f"73.09.13.{3000 + i}",
            name=f"Desa {i}",
            level=Level.VILLAGE,
            parent_id="73.09.13",
        )
        for i in range(MAX_PER_PAGE + 20)
    )


@pytest.mark.parametrize(
    "page_size,expected",
    [("100000", MAX_PER_PAGE), ("201", MAX_PER_PAGE), ("-5", 50), ("abc", 50), ("0", 50)],
)
def test_page_size_is_capped_at_200_and_a_bad_one_gives_the_default(
    personas, many_areas, page_size, expected
):
    client = APIClient()
    client.force_authenticate(personas["admin_maros"])
    response = client.get(reverse("api:area-list"), {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected


def test_the_person_list_gives_at_most_200_people_a_page(personas, areas):
    call_command(
        "generate_registry",
        "--region",
        "73.09.13",
        "--households",
        "80",
        "--seed",
        "14",
        "--single-process",
        verbosity=0,
    )
    client = APIClient()
    client.force_authenticate(personas["admin_maros"])
    response = client.get(reverse("api:person-list"), {"page_size": "100000"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == MAX_PER_PAGE
    following = client.get(body["next"])
    assert following.status_code == 200
    seen = {p["uid"] for p in body["results"]}
    assert seen.isdisjoint(p["uid"] for p in following.json()["results"])


def test_the_next_cursor_the_server_gave_still_works_and_a_changed_one_does_not(
    personas, many_areas
):
    client = APIClient()
    client.force_authenticate(personas["admin_maros"])
    first = client.get(reverse("api:area-list"), {"page_size": "10"}).json()
    assert client.get(first["next"]).status_code == 200
    changed = first["next"].replace("cursor=", "cursor=A")
    assert client.get(changed).status_code == 400


def test_the_keyset_pagination_caps_at_the_list_maximum():
    assert KeysetPagination.max_page_size == MAX_PER_PAGE
