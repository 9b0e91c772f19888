"""Who may open ``/healthz`` and ``/metrics``: every ``operations:`` URL has a rule here (core's
matrix counts these rules).

``/healthz`` is for load balancers and uptime checks: anyone, signed in or not, gets the same
answer, only ok or failing per check. ``/metrics`` answers the monitoring system's bearer token
or a caller from a trusted network, whoever is signed in: a session opens nothing (a 404, logged
for a signed-in user), a wrong token neither. Neither accepts a POST.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from pandu.conftest import PERSONAS
from pandu.core.models import AccessLog

from .conftest import TOKEN

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
WHO = [*PERSONAS, ANONYMOUS]


@dataclass(frozen=True)
class Rule:
    url: Callable[[], str]
    session: int  # what GET answers to each persona and to a visitor, by session alone
    token: int  # ... with the right bearer token
    wrong_token: int
    trusted_network: int  # ... from an address in PANDU_METRICS_ALLOWED_NETWORKS
    denial_logged: bool  # a signed-in persona's refusal is in the access log


RULES: dict[str, Rule] = {
    "operations:healthz": Rule(
        lambda: reverse("operations:healthz"),
        session=200,
        token=200,
        wrong_token=200,
        trusted_network=200,
        denial_logged=False,
    ),
    "operations:metrics": Rule(
        lambda: reverse("operations:metrics"),
        session=404,
        token=200,
        wrong_token=404,
        trusted_network=200,
        denial_logged=True,
    ),
}


def _client(personas, who: str, **extra) -> Client:
    client = Client(**extra)
    if who != ANONYMOUS:
        client.force_login(personas[who])
    return client


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_opens_each_operations_url(name, personas, healthy):
    rule = RULES[name]
    url = rule.url()
    failures = []
    for who in WHO:
        cases = {
            "session": (rule.session, {}),
            "token": (rule.token, {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}),
            "wrong token": (rule.wrong_token, {"HTTP_AUTHORIZATION": "Bearer guessed"}),
            "trusted network": (rule.trusted_network, {"REMOTE_ADDR": "192.0.2.7"}),
        }
        for case, (expected, headers) in cases.items():
            before = AccessLog.objects.filter(kind=AccessLog.Kind.DENIED).count()
            got = _client(personas, who).get(url, **headers).status_code
            if got != expected:
                failures.append(f"{who} ({case}): expected {expected}, got {got}")
            logged = AccessLog.objects.filter(kind=AccessLog.Kind.DENIED).count() > before
            should_log = expected == 404 and rule.denial_logged and who != ANONYMOUS
            if logged != should_log:
                failures.append(f"{who} ({case}): denial logged {logged}, expected {should_log}")
        posted = _client(personas, who).post(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        if posted.status_code != 405:
            failures.append(f"{who}: POST answered {posted.status_code}, expected 405")
    assert not failures, "\n".join(failures)


def test_the_healthz_answer_is_the_same_for_everyone_and_names_no_one(personas, healthy):
    answers = {who: _client(personas, who).get(reverse("operations:healthz")).json() for who in WHO}
    expected = {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "worker": "ok"},
    }
    assert all(answer == expected for answer in answers.values()), answers
