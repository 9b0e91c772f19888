"""The review queue over the API filters through the review page's FilterSet: the same filters,
the same default (open pairs), and a value it cannot read is a 400 that names the filter."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE, MANDAI_VILLAGE, api_token
from pandu.dedup.models import DuplicatePair, PairStatus

pytestmark = pytest.mark.django_db
PAIRS = "/api/v1/dedup/pairs/"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="id")
    token = api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _pair(a, b, probability, status=PairStatus.OPEN) -> DuplicatePair:
    a, b = sorted((a, b), key=lambda p: p.pk)
    return DuplicatePair.objects.create(
        person_a=a, person_b=b, probability=probability, match_weight=5.0, status=status
    )


@pytest.fixture
def pairs(person_factory):
    """In Maros: a likely open pair in Lappara, a less likely one in Mandai, a dismissed one.
    In Makassar: an open pair nobody in Maros may see."""
    lappara = [person_factory(f"Rahman {i}", date(1980, 5, 17 + i)) for i in range(2)]
    mandai = [
        person_factory(f"Baso {i}", date(1975, 1, 9 + i), village=MANDAI_VILLAGE) for i in range(2)
    ]
    dismissed = [person_factory(f"Nur {i}", date(1990, 2, 3 + i), sex="P") for i in range(2)]
    makassar = [
        person_factory(f"Makkasau {i}", date(1970, 3, 4 + i), village=MAKASSAR_VILLAGE)
        for i in range(2)
    ]
    return {
        "likely": _pair(*lappara, 0.97),
        "less": _pair(*mandai, 0.71),
        "dismissed": _pair(*dismissed, 0.9, status=PairStatus.DISMISSED),
        "makassar": _pair(*makassar, 0.99),
    }


def _listed(client, **params) -> list[str]:
    response = client.get(PAIRS, params)
    assert response.status_code == 200, response.content
    return [row["uid"] for row in response.json()["results"]]


def _uids(pairs, *names) -> list[str]:
    return [str(pairs[n].uid) for n in names]


def test_pairs_list_filters_like_the_review_page(personas, pairs):
    admin = api(personas["admin_maros"])
    # Open pairs by default, most probable first.
    assert _listed(admin) == _uids(pairs, "likely", "less")
    assert _listed(admin, status="open") == _uids(pairs, "likely", "less")
    assert _listed(admin, status="dismissed") == _uids(pairs, "dismissed")
    # An empty status is every status, as on the page.
    assert _listed(admin, status="") == _uids(pairs, "likely", "dismissed", "less")
    assert _listed(admin, min_probability="0.9") == _uids(pairs, "likely")
    assert _listed(admin, min_probability="") == _uids(pairs, "likely", "less")
    assert _listed(admin, area=MANDAI_VILLAGE[:8]) == _uids(pairs, "less")
    assert _listed(admin, area=LAPPARA) == _uids(pairs, "likely")


def test_filters_never_reach_past_the_callers_area(personas, pairs):
    makassar = api(personas["admin_makassar"])
    assert _listed(makassar, status="") == _uids(pairs, "makassar")
    maros = api(personas["admin_maros"])
    assert _listed(maros, area=MAKASSAR_VILLAGE) == []
    assert _listed(maros, status="", area="73.71") == []


@pytest.mark.parametrize(
    "params, field, says",
    [
        ({"status": "ragu"}, "status", "ragu"),
        ({"min_probability": "tinggi"}, "min_probability", "bilangan"),
        ({"min_probability": "1.5"}, "min_probability", "1"),
        ({"min_probability": "-0.1"}, "min_probability", "0"),
        ({"area": "73.09.13.2003.1"}, "area", "13"),
    ],
)
def test_a_filter_value_the_queue_cannot_read_is_a_400_that_names_it(
    personas, pairs, params, field, says
):
    response = api(personas["admin_maros"]).get(PAIRS, params)
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert any(says in m for m in messages), messages
