"""Who may use each deduplication page and API endpoint: every ``dedup`` URL has a rule here.

The pair joins Pak Rahman of Moncongloe Lappara and his second registration in Moncongloe Bulu
(both in the district of Moncongloe, Maros). Reviewers (administrators, social workers, TKSK) whose
area holds both people see it; everyone else gets a 404 written to the access log. POST-only URLs
answer 405 to a GET.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import BULU, PERSONAS, api_token
from pandu.core.models import AccessLog
from pandu.dedup import actions, spec
from pandu.dedup.models import DuplicatePair, LinkageModel

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PERSONAS)
REVIEW_HERE = frozenset({"admin_maros", "tksk_moncongloe", "social_worker"})
REVIEWERS = REVIEW_HERE | {"admin_makassar"}
RUNNERS = frozenset({"admin_maros", "admin_makassar"})
REGISTRY_READERS = EVERYONE - {"partner", "head"}


@pytest.fixture
def records(person_factory, personas):
    first = person_factory("Moh. Rahman", date(1980, 5, 17))
    again = person_factory("Muhammad Rahman", date(1980, 5, 17), village=BULU)
    LinkageModel.objects.create(settings_json=spec.settings_dict(prior=1e-3), records=2)
    actions.find_duplicates(personas["admin_maros"], threshold=0.5)
    pair = DuplicatePair.objects.get()
    merge_pair_people = (
        person_factory("Baso", date(1970, 1, 2)),
        person_factory("Andi Baso", date(1970, 1, 2), village=BULU),
    )
    merge = actions.merge_people(
        personas["admin_maros"], *merge_pair_people, reason="sama", survivor=merge_pair_people[0]
    )
    return {"pair": pair, "merge": merge, "first": first, "again": again}


def _pair(r):
    return reverse("dedup:pair_detail", args=[r["pair"].uid])


def _merge(r):
    return reverse("dedup:merge_detail", args=[r["merge"].uid])


# name: (url, who gets 200 on GET; None = POST only: 405 for everyone)
WEB = {
    "dedup:pair_list": (lambda r: reverse("dedup:pair_list"), REVIEWERS),
    "dedup:pair_detail": (_pair, REVIEW_HERE),
    "dedup:merge_detail": (_merge, REVIEW_HERE),
    "dedup:merge_undo": (lambda r: reverse("dedup:merge_undo", args=[r["merge"].uid]), None),
    "dedup:run_start": (lambda r: reverse("dedup:run_start"), RUNNERS),
    "dedup:check": (lambda r: reverse("dedup:check") + "?full_name=Rahman", REGISTRY_READERS),
}
# name: (url, who gets 200 on GET; a list answers 200 to everyone, with rows for ``shown``)
API = {
    "dedup-api:pair-list": ("/api/v1/dedup/pairs/", EVERYONE),
    "dedup-api:pair-detail": ("/api/v1/dedup/pairs/{pair}/", REVIEW_HERE),
    "dedup-api:pair-confirm": ("/api/v1/dedup/pairs/{pair}/confirm/", None),
    "dedup-api:pair-dismiss": ("/api/v1/dedup/pairs/{pair}/dismiss/", None),
    "dedup-api:merge-list": ("/api/v1/dedup/merges/", EVERYONE),
    "dedup-api:merge-detail": ("/api/v1/dedup/merges/{merge}/", REVIEW_HERE),
    "dedup-api:merge-undo": ("/api/v1/dedup/merges/{merge}/undo/", None),
}


def test_every_dedup_url_has_a_rule():
    from pandu.core.tests.test_permission_matrix import url_patterns

    names = {n for n in url_patterns()[0] if n.split(":")[0] in ("dedup", "dedup-api")}
    assert names == set(WEB) | set(API)


@pytest.mark.parametrize("name", sorted(WEB))
def test_who_opens_each_dedup_page(name, records, personas):
    make_url, see = WEB[name]
    url = make_url(records)
    failures = []
    anonymous = Client().get(url)
    if anonymous.status_code != 302:
        failures.append(f"anonymous: {anonymous.status_code}")
    for who in PERSONAS:
        client = Client()
        client.force_login(personas[who])
        code = client.get(url).status_code
        if see is None:
            if code != 405:
                failures.append(f"{who}: GET on a POST-only page answered {code}")
        elif who in see:
            if code != 200:
                failures.append(f"{who}: expected 200, got {code}")
        elif code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not AccessLog.objects.filter(user=personas[who], kind="denied").exists():
            failures.append(f"{who}: 404 without an access-log row")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(API))
def test_who_reads_each_dedup_api_endpoint(name, records, personas):
    template, see = API[name]
    url = template.format(pair=records["pair"].uid, merge=records["merge"].uid)
    failures = []
    if APIClient().get(url).status_code != 401:
        failures.append("anonymous: not 401")
    for who in PERSONAS:
        client = APIClient()
        token = api_token(personas[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.get(url)
        code = response.status_code
        if see is None:
            if code != 405:
                failures.append(f"{who}: GET on a POST-only endpoint answered {code}")
        elif who in see:
            if code != 200:
                failures.append(f"{who}: expected 200, got {code}")
            elif name.endswith("-list"):
                uid = str(records["pair" if "pair" in name else "merge"].uid)
                if (uid in response.content.decode()) != (who in REVIEW_HERE):
                    failures.append(
                        f"{who}: the list {'lacks' if who in REVIEW_HERE else 'shows'} it"
                    )
        elif code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not AccessLog.objects.filter(user=personas[who], kind="denied").exists():
            failures.append(f"{who}: 404 without an access-log row")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


def test_refused_decisions_change_nothing(records, personas):
    pair = records["pair"]
    for who in EVERYONE - REVIEW_HERE:
        client = Client()
        client.force_login(personas[who])
        client.post(_pair(records), {"decision": "dismiss", "reason": "x"})
        client.post(reverse("dedup:merge_undo", args=[records["merge"].uid]), {"reason": "x"})
        pair.refresh_from_db()
        records["merge"].refresh_from_db()
        assert pair.status == "open", who
        assert records["merge"].undone_at is None, who
