"""Proposal batches and "my proposals" are bounded lists like every other: pages with a next page,
``per_page`` capped at 200 and checked, the same queries for a few rows as for many."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pandu.proposals import actions

from .conftest import new_family

pytestmark = pytest.mark.django_db

BATCH = re.compile(r'href="/usulan/([0-9a-f-]{36})/"')
ITEM = re.compile(r'href="/usulan/butir/([0-9a-f-]{36})/"')


@pytest.fixture
def rahma(personas) -> Client:
    client = Client()
    client.force_login(personas["operator_lappara"])
    return client


def batches(batch_factory, n: int) -> None:
    for _ in range(n):
        batch_factory(minutes=False)


def items(personas, batch_factory, n: int, start: int = 0) -> None:
    batch = batch_factory(minutes=False)
    for i in range(start, start + n):
        actions.add_household_item(
            personas["operator_lappara"], batch, **new_family(serial=100 + 2 * i)
        )


def test_more_batches_than_a_page_have_a_next_page(rahma, batch_factory):
    batches(batch_factory, 55)
    first = rahma.get(reverse("proposals:batch_list")).content.decode()
    assert len(set(BATCH.findall(first))) == 50 and "page=2" in first
    second = rahma.get(reverse("proposals:batch_list"), {"page": "2"}).content.decode()
    assert len(set(BATCH.findall(second))) == 5


@pytest.mark.parametrize("per_page,rows", [("100000", 55), ("20", 20), ("-5", 50), ("abc", 50)])
def test_per_page_is_capped_and_checked_on_the_batches(rahma, batch_factory, per_page, rows):
    batches(batch_factory, 55)
    page = rahma.get(reverse("proposals:batch_list"), {"per_page": per_page}).content.decode()
    assert len(set(BATCH.findall(page))) == rows


def test_my_proposals_are_paged_and_filtered(rahma, personas, batch_factory):
    items(personas, batch_factory, 55)
    first = rahma.get(reverse("proposals:my_items")).content.decode()
    assert len(set(ITEM.findall(first))) == 50 and "page=2" in first
    assert "Daeng Sikki" in first  # who the item is about
    second = rahma.get(reverse("proposals:my_items"), {"page": "2", "status": "pending"})
    assert len(set(ITEM.findall(second.content.decode()))) == 5
    rejected = rahma.get(reverse("proposals:my_items"), {"status": "rejected"})
    assert ITEM.findall(rejected.content.decode()) == []


@pytest.mark.parametrize("url", ["proposals:batch_list", "proposals:my_items"])
def test_the_lists_cost_the_same_queries_for_few_or_many_rows(
    rahma, personas, batch_factory, url, django_assert_max_num_queries
):
    items(personas, batch_factory, 3)
    rahma.get(reverse(url))  # the session is read once per client
    with django_assert_max_num_queries(25) as few:
        assert rahma.get(reverse(url)).status_code == 200
    items(personas, batch_factory, 12, start=3)
    batches(batch_factory, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert rahma.get(reverse(url)).status_code == 200
