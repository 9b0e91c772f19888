"""List pages and API lists cost the same number of queries for 2 rows as for 6 (no N+1)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import api_token
from pandu.services import actions

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def _add(world, make_case, n: int, start: int) -> None:
    worker = world.users["social_worker"]
    for i in range(n):
        case = make_case(subject=unregistered(f"Orang Ke {start + i}"))
        referral = actions.create_referral(
            worker, case, world.health, need_area="health", need="x", request="y"
        )
        actions.record_consent(worker, referral, consent_by="self", method="signed")
        actions.send_referral(worker, referral)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


PAGES = [
    ("social_worker", "services:case_list"),
    ("front_office", "services:intake_list"),
    ("front_office", "services:queue"),
    ("partner", "services:inbox"),
    ("admin_maros", "services:overdue"),
    ("head", "services:dashboard"),
]
API = [
    ("social_worker", "/api/v1/services/cases/"),
    ("front_office", "/api/v1/services/intakes/"),
    ("partner", "/api/v1/services/referrals/"),
    ("social_worker", "/api/v1/services/referrals/"),
]


def test_list_pages_do_not_grow_with_the_rows(world, make_case):
    clients = {}
    for who, _name in PAGES:
        clients[who] = Client()
        clients[who].force_login(world.users[who])
    _add(world, make_case, 2, 0)
    for who, name in PAGES:  # a session's first request also records its sign-in bookkeeping
        _count(clients[who], reverse(name))
    before = {name: _count(clients[who], reverse(name)) for who, name in PAGES}
    _add(world, make_case, 4, 10)
    after = {name: _count(clients[who], reverse(name)) for who, name in PAGES}
    assert after == before


def test_api_lists_do_not_grow_with_the_rows(world, make_case):
    clients = {}
    for who, _url in API:
        client = APIClient()
        token = api_token(world.users[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        clients[who] = client
    _add(world, make_case, 2, 0)
    for who, url in API:  # a token's first use is recorded once (then at most every few minutes)
        _count(clients[who], url)
    before = {url + who: _count(clients[who], url) for who, url in API}
    _add(world, make_case, 4, 10)
    after = {url + who: _count(clients[who], url) for who, url in API}
    assert after == before
