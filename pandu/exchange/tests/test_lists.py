"""The list of imports is a bounded list like every other: pages with a next page, at most 200
rows, the same few queries for 5 imports as for 60."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pandu.conftest import LAPPARA
from pandu.exchange.models import ImportBatch

pytestmark = pytest.mark.django_db

ROW = re.compile(r"<td[^>]*>\s*desa-(\d+)\.csv\s*</td>")


def imports_by(user, n: int, start: int = 0) -> None:
    """Finished imports as the importer leaves them (rows only: the list shows no file)."""
    ImportBatch.objects.bulk_create(
        ImportBatch(
            user=user,
            area_code=LAPPARA,
            status=ImportBatch.Status.SUCCEEDED,
            file_name=f"desa-{i}.csv",
            file_path="",
            sha256=f"{i:064d}",
            rows_read=10,
            created=10,
        )
        for i in range(start, start + n)
    )


@pytest.fixture
def rahma(personas) -> Client:
    client = Client()
    client.force_login(personas["operator_lappara"])
    return client


def shown(response) -> list[str]:
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def test_more_imports_than_a_page_have_a_next_page(rahma, personas):
    imports_by(personas["operator_lappara"], 60)
    first = shown(rahma.get(reverse("exchange:index")))
    assert len(first) == 50
    assert first[0] == "59"  # newest first
    second = shown(rahma.get(reverse("exchange:index"), {"page": "2"}))
    assert len(second) == 10 and set(first).isdisjoint(second)


@pytest.mark.parametrize("per_page,rows", [("100000", 200), ("-5", 50), ("abc", 50)])
def test_per_page_is_capped_and_checked_on_the_imports(rahma, personas, per_page, rows):
    imports_by(personas["operator_lappara"], 210)
    assert len(shown(rahma.get(reverse("exchange:index"), {"per_page": per_page}))) == rows


def test_the_imports_can_be_filtered_by_status(rahma, personas):
    imports_by(personas["operator_lappara"], 3)
    ImportBatch.objects.filter(file_name="desa-1.csv").update(status=ImportBatch.Status.FAILED)
    failed = shown(rahma.get(reverse("exchange:index"), {"status": "failed"}))
    assert failed == ["1"]


def test_another_villages_imports_are_not_listed(rahma, personas):
    imports_by(personas["operator_bulu"], 4)
    assert shown(rahma.get(reverse("exchange:index"))) == []


def test_the_imports_cost_the_same_queries_for_5_or_60(
    rahma, personas, django_assert_max_num_queries
):
    imports_by(personas["operator_lappara"], 5)
    rahma.get(reverse("exchange:index"))  # the session is read once per client
    with django_assert_max_num_queries(12) as few:
        assert len(shown(rahma.get(reverse("exchange:index")))) == 5
    imports_by(personas["operator_lappara"], 55, start=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(shown(rahma.get(reverse("exchange:index")))) == 50
