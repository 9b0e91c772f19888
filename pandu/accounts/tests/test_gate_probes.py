"""``/healthz`` and ``/metrics`` answer whatever session the caller holds: a load balancer or
the monitoring system asks them without signing in, and a browser on the same machine that is
held at the account's gate (a second factor to give, a one-time password to replace, an
authenticator to enrol) or whose session has run out gets the same answer, not the gate."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts.middleware import SEEN, STARTED

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-of-the-gate-tests-0123456789"
HEALTHZ = reverse("operations:healthz") + "?check=database"
METRICS = reverse("operations:metrics")
HOUSEHOLDS = reverse("registry:household_list")


@pytest.fixture
def gated(personas, settings):
    """Sessions held at each step of the gate, and one that ran out."""
    settings.PANDU_METRICS_TOKEN = TOKEN
    settings.PANDU_2FA_REQUIRED_ROLES = ["admin"]
    personas["operator_lappara"].must_change_password = True
    personas["operator_lappara"].save()
    personas["tksk_moncongloe"].two_factor_enabled = True  # a code not yet given
    personas["tksk_moncongloe"].save()
    clients = {}
    for who in ("admin_maros", "operator_lappara", "tksk_moncongloe", "social_worker"):
        client = Client()
        client.force_login(personas[who])
        clients[who] = client
    expired = clients["social_worker"]
    expired.get("/")  # the session's clocks start
    session = expired.session
    session[STARTED] -= 13 * 3600
    session[SEEN] -= 13 * 3600
    session.save()
    return clients


def test_healthz_and_metrics_answer_without_a_session(settings):
    settings.PANDU_METRICS_TOKEN = TOKEN
    client = Client()
    health = client.get(HEALTHZ)
    assert health.status_code == 200 and health.json()["checks"] == {"database": "ok"}
    metrics = client.get(METRICS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert metrics.status_code == 200 and b"pandu_" in metrics.content


def test_a_session_held_at_the_gate_does_not_hold_back_the_probes(gated):
    for who, client in gated.items():
        # Every other page sends these sessions to the gate or the login page ...
        if who != "social_worker":
            assert client.get(HOUSEHOLDS).status_code == 302, who
        # ... the probes answer as they answer everyone.
        health = client.get(HEALTHZ)
        assert health.status_code == 200, who
        assert health.json() == {"status": "ok", "checks": {"database": "ok"}}, who
        metrics = client.get(METRICS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert metrics.status_code == 200, who
        assert metrics["Content-Type"].startswith("text/plain"), who


def test_a_probe_neither_ends_nor_refreshes_a_session(gated):
    client = gated["social_worker"]
    seen = client.session[SEEN]
    assert client.get(HEALTHZ).status_code == 200
    assert client.session[SEEN] == seen  # not counted as activity, not signed out
    assert client.get(HOUSEHOLDS)["Location"].startswith(reverse("accounts:login"))
