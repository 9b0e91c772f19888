"""The official area list (idn-area-data, Kepmendagri 2025): loading, browsing and picking areas.

Loading the 91,599 areas takes a few seconds, so this module loads them once, inside a
transaction that is rolled back when the module is done; every test runs in a savepoint on top.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from pandu.accounts.models import User
from pandu.regions.models import Area, Level
from pandu.regions.queries import forget_cached_codes

pytestmark = pytest.mark.django_db

OFFICIAL_COUNTS = {"provinces": 38, "regencies": 514, "districts": 7285, "villages": 83762}
LAPPARA = "73.09.13.2003"


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_areas", *args, stdout=out)
    return out.getvalue()


def printed_counts(output: str) -> dict[str, int]:
    counts = {}
    for line in output.splitlines():
        label, _, number = line.partition(":")
        if label in OFFICIAL_COUNTS:
            counts[label] = int(number)
    return counts


def counts_in_db() -> dict[str, int]:
    by_level = {
        Level.PROVINCE: "provinces",
        Level.REGENCY: "regencies",
        Level.DISTRICT: "districts",
        Level.VILLAGE: "villages",
    }
    return {label: Area.objects.filter(level=level).count() for level, label in by_level.items()}


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    """``load_areas`` into an empty table, once for the module; its output."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            assert not Area.objects.exists()
            yield load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            forget_cached_codes()


@pytest.fixture
def rahma(first_load) -> Client:
    user = User.objects.create_user("rahma", role="operator", area_id=LAPPARA)
    client = Client()
    client.force_login(user)
    return client


# --- Loading --------------------------------------------------------------------------------


def test_load_areas_loads_the_official_list_and_prints_the_four_counts(first_load):
    assert printed_counts(first_load) == OFFICIAL_COUNTS
    assert counts_in_db() == OFFICIAL_COUNTS
    lappara = Area.objects.select_related("parent__parent__parent").get(code=LAPPARA)
    assert lappara.name == "Moncongloe Lappara"
    assert [a.name for a in lappara.ancestors()] == [
        "Sulawesi Selatan",
        "Kabupaten Maros",
        "Moncongloe",
        "Moncongloe Lappara",
    ]


def test_load_areas_again_changes_nothing(first_load):
    names_before = dict(
        Area.objects.filter(code__startswith="73.09.13").values_list("code", "name")
    )

    second = load()

    assert printed_counts(second) == OFFICIAL_COUNTS
    assert counts_in_db() == OFFICIAL_COUNTS
    assert dict(Area.objects.filter(code__startswith="73.09.13").values_list("code", "name")) == (
        names_before
    )


def test_if_empty_skips_when_villages_are_loaded(first_load):
    assert load("--if-empty").strip() == "areas already loaded"
    assert counts_in_db() == OFFICIAL_COUNTS


def test_missing_area_files_say_how_to_get_them(first_load, tmp_path: Path):
    with pytest.raises(CommandError, match="npm ci"):
        load("--data-dir", str(tmp_path))


def test_area_data_comes_from_node_modules():
    assert (Path(settings.AREA_DATA_DIR) / "villages.csv").is_file()


# --- Browsing -------------------------------------------------------------------------------


def test_browse_from_province_down_to_the_villages(rahma):
    steps = [
        (resolve_url("regions:browse"), "Sulawesi Selatan", "/wilayah/73/"),
        ("/wilayah/73/", "Kabupaten Maros", "/wilayah/73.09/"),
        ("/wilayah/73.09/", "Moncongloe", "/wilayah/73.09.13/"),
        ("/wilayah/73.09.13/", "Moncongloe Lappara", None),
    ]
    for url, child, link in steps:
        response = rahma.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert child in page, url
        if link:
            assert f'href="{link}"' in page, url
    village_page = rahma.get(f"/wilayah/{LAPPARA}/").content.decode()
    assert "Tidak ada wilayah di bawahnya." in village_page
    assert "Moncongloe Lappara" in village_page


def test_area_names_are_not_doubled_on_the_pages(rahma):
    """The official regency names already say Kabupaten/Kota."""
    for url in ("/wilayah/73/", "/wilayah/73.09/"):
        page = rahma.get(url).content.decode()
        assert "Kabupaten Kabupaten" not in page, url
        assert "Kota Kota" not in page, url


def test_unknown_or_malformed_area_codes_are_404(rahma):
    assert rahma.get("/wilayah/99/").status_code == 404
    assert rahma.get("/wilayah/73.09.99/").status_code == 404
    assert rahma.get("/wilayah/7309/").status_code == 404


# --- The picker's autocomplete ---------------------------------------------------------------


def autocomplete(client, **params):
    response = client.get(resolve_url("regions:autocomplete"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_autocomplete_finds_villages_by_the_start_of_a_word(rahma):
    results = autocomplete(rahma, q="monc", level=4)
    assert 0 < len(results) <= 30
    codes = {r["code"] for r in results}
    assert {"73.09.13.2001", "73.09.13.2002", LAPPARA} <= codes
    assert all(r["level"] == 4 and len(r["code"]) == 13 for r in results)
    lappara = next(r for r in results if r["code"] == LAPPARA)
    assert lappara["label"] == "Moncongloe Lappara — Kec. Moncongloe, Kab. Maros"
    # Her own village first.
    assert results[0]["code"] == LAPPARA and results[0]["mine"]
    assert any(r["code"] == LAPPARA for r in autocomplete(rahma, q="Lappara", level=4))


def test_autocomplete_never_returns_more_than_30(rahma):
    assert len(autocomplete(rahma, q="sumber", level=4)) == 30
    assert len(autocomplete(rahma, q="", level=4)) == 30
    assert len(autocomplete(rahma)) == 30


def test_autocomplete_by_code_and_within_an_area(rahma):
    by_code = autocomplete(rahma, q="73.09.13", level=4)
    assert {r["code"] for r in by_code} >= {LAPPARA}
    assert all(r["code"].startswith("73.09.13.") for r in by_code)
    within = autocomplete(rahma, q="bonto", level=4, within="73.09.13")
    assert {r["code"] for r in within} == {"73.09.13.2004", "73.09.13.2005"}


def test_autocomplete_needs_a_signed_in_user(first_load):
    response = Client().get(resolve_url("regions:autocomplete"), {"q": "monc"})
    assert response.status_code == 302
