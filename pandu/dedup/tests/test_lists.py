"""The review queue is a bounded list: pages of at most 200 pairs, the next page still the queue,
and the same few queries for 5 pairs as for 60."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pandu.dedup.models import DuplicatePair, PairStatus
from pandu.registry.models import Person

pytestmark = pytest.mark.django_db

ROW = re.compile(r'href="/[^"]*/(?P<uid>[0-9a-f-]{36})/"[^>]*>\s*Periksa')


@pytest.fixture
def people(areas):
    call_command(
        "generate_registry",
        "--region",
        "73.09.13",
        "--households",
        "60",
        "--seed",
        "3",
        "--single-process",
        verbosity=0,
    )
    return list(Person.objects.order_by("id"))


def store_pairs(people, n: int, *, status=PairStatus.OPEN, start: int = 0) -> None:
    """Pairs stored the way the batch search stores them (consecutive people, falling odds)."""
    DuplicatePair.objects.bulk_create(
        DuplicatePair(
            person_a=people[i],
            person_b=people[i + 1],
            probability=0.99 - i / 1000,
            match_weight=5.0,
            status=status,
        )
        for i in range(start, start + n)
    )


@pytest.fixture
def reviewer(personas) -> Client:
    client = Client()
    client.force_login(personas["admin_maros"])
    return client


def shown(response) -> list[str]:
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def test_a_queue_longer_than_a_page_has_a_next_page_that_is_still_the_open_queue(reviewer, people):
    store_pairs(people, 60)
    store_pairs(people, 20, status=PairStatus.DISMISSED, start=100)
    first = reviewer.get(reverse("dedup:pair_list"))
    assert len(shown(first)) == 50
    assert "page=2" in first.content.decode()
    second = reviewer.get(reverse("dedup:pair_list"), {"page": "2"})
    still_open = DuplicatePair.objects.filter(status=PairStatus.OPEN)
    open_uids = {str(u) for u in still_open.values_list("uid", flat=True)}
    assert len(shown(second)) == 10
    assert set(shown(second)) <= open_uids


def test_every_status_is_listed_when_the_filter_says_all(reviewer, people):
    store_pairs(people, 5)
    store_pairs(people, 4, status=PairStatus.DISMISSED, start=100)
    assert len(shown(reviewer.get(reverse("dedup:pair_list"), {"status": ""}))) == 9
    assert len(shown(reviewer.get(reverse("dedup:pair_list"), {"status": "dismissed"}))) == 4


@pytest.mark.parametrize("per_page,rows", [("100000", 200), ("-5", 50), ("abc", 50)])
def test_per_page_is_capped_and_checked_on_the_queue(reviewer, people, per_page, rows):
    store_pairs(people, 210)
    assert len(shown(reviewer.get(reverse("dedup:pair_list"), {"per_page": per_page}))) == rows


def test_a_bad_probability_shows_the_form_error_not_a_500(reviewer, people):
    store_pairs(people, 3)
    response = reviewer.get(reverse("dedup:pair_list"), {"min_probability": "2"})
    assert response.status_code == 200


def test_the_queue_costs_the_same_queries_for_5_or_60_pairs(
    reviewer, people, django_assert_max_num_queries
):
    store_pairs(people, 5)
    reviewer.get(reverse("dedup:pair_list"))  # the session is read once per client
    with django_assert_max_num_queries(8) as few:
        assert len(shown(reviewer.get(reverse("dedup:pair_list")))) == 5
    store_pairs(people, 55, start=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(shown(reviewer.get(reverse("dedup:pair_list")))) == 50
