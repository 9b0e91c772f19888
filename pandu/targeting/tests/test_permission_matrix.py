"""Who may use each targeting page and API endpoint: every ``targeting`` URL has a rule here.

The run counts the families of Moncongloe (73.09.13) for a test programme; the family is in
Moncongloe Lappara. Roles that read targeting results and whose area holds the run see it; the
operator of Bulu (another village) and Makassar's administrator do not, nor the head and the
partner, who read no family. Everyone else gets a 404 written to the access log.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import PERSONAS, api_token
from pandu.core.models import AccessLog
from pandu.targeting import actions

from .conftest import PKH_RULE

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PERSONAS)
# Roles with targeting.view whose area holds the district of Moncongloe.
SEE_RUN = frozenset({"admin_maros", "tksk_moncongloe", "social_worker", "front_office", "auditor"})
# The operator of Lappara reads the family's village, not the district's run.
VIEWERS = SEE_RUN | {"operator_lappara", "operator_bulu", "admin_makassar"}
RUNNERS = frozenset({"admin_maros", "social_worker", "admin_makassar"})


@pytest.fixture
def records(personas, household_factory, pkh):
    household = household_factory(desil=2)
    rs = actions.save_ruleset(personas["admin_maros"], name="PKH uji", rule=PKH_RULE)
    run = actions.start_run(
        personas["admin_maros"], ruleset=rs, area="73.09.13", programme=pkh,
        as_of=date(2026, 3, 1), background=False,
    )  # fmt: skip
    return {"run": run, "household": household}


WEB = {
    "targeting:run_list": (lambda r: reverse("targeting:run_list"), VIEWERS),
    "targeting:run_new": (lambda r: reverse("targeting:run_new"), RUNNERS),
    "targeting:run_detail": (
        lambda r: reverse("targeting:run_detail", args=[r["run"].uid]),
        SEE_RUN,
    ),
    "targeting:run_commit": (lambda r: reverse("targeting:run_commit", args=[r["run"].uid]), None),
    "targeting:explain": (
        lambda r: reverse("targeting:explain", args=[r["run"].uid, r["household"].uid]),
        SEE_RUN,
    ),
    "targeting:ruleset_list": (lambda r: reverse("targeting:ruleset_list"), RUNNERS),
    "targeting:ruleset_new": (lambda r: reverse("targeting:ruleset_new"), RUNNERS),
    "targeting:ruleset_rows": (lambda r: reverse("targeting:ruleset_rows"), None),
    "targeting:pmt_new": (lambda r: reverse("targeting:pmt_new"), RUNNERS),
}
API = {
    # An API list answers everyone, with rows only for those who see them (as dedup's).
    "targeting-api:run-list": ("/api/v1/targeting/runs/", EVERYONE),
    "targeting-api:run-detail": ("/api/v1/targeting/runs/{run}/", SEE_RUN),
    "targeting-api:run-commit": ("/api/v1/targeting/runs/{run}/commit/", None),
    "targeting-api:household-eligibility": (
        "/api/v1/households/{household}/eligibility/?programme=PKH-UJI",
        SEE_RUN,
    ),
}


def test_every_targeting_url_has_a_rule():
    from pandu.core.tests.test_permission_matrix import url_patterns

    names = {n for n in url_patterns()[0] if n.split(":")[0] in ("targeting", "targeting-api")}
    assert names == set(WEB) | set(API)


@pytest.mark.parametrize("name", sorted(WEB))
def test_who_opens_each_targeting_page(name, records, personas):
    make_url, see = WEB[name]
    url = make_url(records)
    failures = []
    if Client().get(url).status_code != 302:
        failures.append("anonymous: not redirected to the login")
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
def test_who_reads_each_targeting_api_endpoint(name, records, personas):
    template, see = API[name]
    url = template.format(run=records["run"].uid, household=records["household"].uid)
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
                shown = str(records["run"].uid) in response.content.decode()
                if shown != (who in SEE_RUN):
                    failures.append(f"{who}: the list {'lacks' if who in SEE_RUN else 'shows'} it")
        elif code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not AccessLog.objects.filter(user=personas[who], kind="denied").exists():
            failures.append(f"{who}: 404 without an access-log row")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


def test_refused_commits_change_nothing(records, personas):
    run = records["run"]
    for who in EVERYONE - {"admin_maros"}:
        client = Client()
        client.force_login(personas[who])
        assert client.post(reverse("targeting:run_commit", args=[run.uid])).status_code == 404
        api = APIClient()
        api.force_authenticate(personas[who])
        assert api.post(f"/api/v1/targeting/runs/{run.uid}/commit/").status_code == 404
        run.refresh_from_db()
        assert run.status == "dry", who
