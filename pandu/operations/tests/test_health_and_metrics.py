"""``/healthz`` says which check fails and nothing more; ``/metrics`` counts by view, job kind and
province, never a person."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import checks
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.core.models import Job, Worker
from pandu.core.workers import beat
from pandu.operations import views

from .conftest import TOKEN

pytestmark = pytest.mark.django_db

AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def _health(query: str = ""):
    response = Client().get(reverse("operations:healthz") + query)
    return response.status_code, json.loads(response.content)


def test_healthz_is_200_when_every_check_passes(healthy):
    status, body = _health()
    assert status == 200 and body["status"] == "ok"
    assert "no-cache" in Client().get(reverse("operations:healthz"))["Cache-Control"]


def test_healthz_is_503_when_no_worker_has_beaten_lately(healthy, settings):
    Worker.objects.update(seen_at=timezone.now() - timedelta(hours=1))
    status, body = _health()
    assert status == 503
    assert body == {
        "status": "failing",
        "checks": {"database": "ok", "broker": "ok", "worker": "failing"},
    }
    # A load balancer asks about this web process only.
    assert _health("?check=database,broker") == (
        200,
        {"status": "ok", "checks": {"database": "ok", "broker": "ok"}},
    )
    # A stopped worker is not a live one either.
    beat("worker1@test", timezone.now(), stopped=True)
    assert _health("?check=worker")[0] == 503


def test_healthz_fails_the_broker_when_its_queue_folder_is_gone(healthy, settings, tmp_path):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(tmp_path / "gone"),
    }
    assert _health("?check=broker") == (503, {"status": "failing", "checks": {"broker": "failing"}})


def test_healthz_fails_the_broker_when_redis_does_not_answer(healthy, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    status, body = _health("?check=broker")
    assert status == 503 and body["checks"] == {"broker": "failing"}


def test_an_unknown_check_name_is_ignored(healthy):
    assert _health("?check=../../etc,database") == (
        200,
        {"status": "ok", "checks": {"database": "ok"}},
    )


# --- Metrics ------------------------------------------------------------------------------------


def _metrics() -> str:
    response = Client().get(reverse("operations:metrics"), **AUTH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def test_requests_are_counted_by_view_name_never_by_address(healthy, household_factory, personas):
    household = household_factory()
    client = Client()
    client.force_login(personas["operator_lappara"])
    url = reverse("registry:household_detail", args=[household.uid])
    client.get(url)
    client.get("/tidak-ada/" + str(household.uid) + "/")

    text = _metrics()
    assert re.search(
        r'pandu_http_requests_total\{method="GET",status="\d+",view="registry:household_detail"\}',
        text,
    )
    assert 'view="unresolved"' in text
    assert str(household.uid) not in text and household.uid.hex not in text
    assert 'pandu_http_request_duration_seconds_bucket{le="0.3",method="GET"' in text


def test_metrics_count_jobs_and_the_registry_by_province_without_personal_data(
    healthy, household_factory, personas
):
    household = household_factory()
    people = list(household.members.all())
    Job.objects.create(kind="exchange.export", created_by=personas["admin_maros"])
    Job.objects.create(kind="exchange.export", status=Job.Status.SUCCEEDED)
    Job.objects.create(kind="dedup.run", status=Job.Status.FAILED)

    text = _metrics()

    assert 'pandu_jobs{kind="exchange.export",status="queued"} 1.0' in text
    assert 'pandu_jobs{kind="exchange.export",status="succeeded"} 1.0' in text
    assert 'pandu_jobs{kind="dedup.run",status="failed"} 1.0' in text
    assert "pandu_jobs_waiting 1.0" in text
    assert "pandu_workers_alive 1.0" in text
    assert 'pandu_health{check="worker"} 1.0' in text
    assert f'pandu_registry_people{{province="73",status="active"}} {len(people)}.0' in text
    assert 'pandu_registry_households{province="73",status="active"} 1.0' in text
    assert "pandu_queue_messages" in text
    for person in people:
        assert person.nik not in text and person.full_name not in text
    assert household.kk_number not in text and personas["admin_maros"].username not in text


def test_wrong_tokens_from_one_address_end_in_refusing_even_the_right_one(healthy):
    client = Client()
    url = reverse("operations:metrics")
    for _ in range(views.FAILURE_LIMIT):
        assert client.get(url, HTTP_AUTHORIZATION="Bearer guess").status_code == 404
    assert client.get(url, **AUTH).status_code == 404
    # Another address still gets in with it.
    assert client.get(url, REMOTE_ADDR="203.0.113.9", **AUTH).status_code == 200


def test_a_caller_cannot_claim_a_trusted_address(healthy, settings):
    url = reverse("operations:metrics")
    spoofed = {"HTTP_X_FORWARDED_FOR": "192.0.2.7", "REMOTE_ADDR": "203.0.113.9"}
    settings.PANDU_TRUSTED_PROXIES = 0
    assert Client().get(url, **spoofed).status_code == 404
    # Behind one trusted proxy, the address that proxy saw is the caller's.
    settings.PANDU_TRUSTED_PROXIES = 1
    assert Client().get(url, **spoofed).status_code == 200


def test_without_a_token_or_network_nobody_reads_metrics(healthy, settings):
    settings.PANDU_METRICS_TOKEN = ""
    settings.PANDU_METRICS_ALLOWED_NETWORKS = []
    assert Client().get(reverse("operations:metrics"), **AUTH).status_code == 404
    assert Client().get(reverse("operations:metrics"), REMOTE_ADDR="127.0.0.1").status_code == 404


def test_the_deploy_check_refuses_a_short_token_and_a_network_that_is_not_one(settings):
    settings.PANDU_METRICS_TOKEN = "short"
    settings.PANDU_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "intranet"]
    found = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert {"pandu.E101", "pandu.E102"} <= found
    settings.PANDU_METRICS_TOKEN = TOKEN
    settings.PANDU_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    found = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert not {"pandu.E101", "pandu.E102"} & found
