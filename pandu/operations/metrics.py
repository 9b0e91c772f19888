"""Figures for Prometheus at ``/metrics``: how the site is used and how its work goes, never
about a person.

Requests are counted by the name of the view that answered (``registry:person_detail``), never
by their address, which holds record ids; an address no view answers counts as
``unresolved``. Jobs by kind and status, the queue's length, the workers' heartbeats and the
registry's size per province are read from the database when Prometheus asks (the registry's
counts are kept in the cache for ``REGISTRY_CACHE_SECONDS``).

Several gunicorn workers each count their own requests: set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty folder before they start, and the counts of all of them are summed (docs/operations.md).
"""

from __future__ import annotations

import logging
import math
import os
import platform
import time
from collections.abc import Iterator
from importlib import metadata

import django
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("pandu.operations")

disable_created_metrics()  # no `_created` twin of every series: Prometheus does not need them

REGISTRY_CACHE_SECONDS = 600
BROKER_TIMEOUT = 2.0
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REQUESTS = Counter(
    "pandu_http_requests",
    "Requests answered, by the view that answered them, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "pandu_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    return match.view_name or "unnamed"


def observe(request, status: int, seconds: float) -> None:
    method = request.method if request.method in METHODS else "OTHER"
    view = view_name(request)
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view, method=method).observe(seconds)


class RequestMetricsMiddleware:
    """Counts every request and its time; first in the chain, so it sees them all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        try:
            observe(request, response.status_code, time.perf_counter() - started)
        except Exception:  # a figure must never cost a user their answer
            log.exception("request metrics not recorded")
        return response


# --- Read from the database when Prometheus asks --------------------------------------------


def version() -> str:
    try:
        return metadata.version("pandu")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def queue_length() -> int | None:
    """Messages waiting in the job queue (the broker's count), or None if it cannot be read."""
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    if url.startswith("memory"):
        return None
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    try:
        with Connection(url, transport_options=options, connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
            channel = conn.default_channel
            try:
                return channel.queue_declare(
                    settings.CELERY_TASK_DEFAULT_QUEUE, passive=True
                ).message_count
            except Exception as exc:  # Redis: a queue never declared is an empty one
                if "NOT_FOUND" in str(exc):
                    return 0
                raise
    except Exception as exc:
        log.warning("metrics: queue length not read: %s", type(exc).__name__)
        return None


def registry_counts() -> dict[str, list[tuple[str, str, int]]]:
    """People and households per province (the code's first two digits) and status."""
    cached = cache.get("pandu:metrics:registry")
    if cached is not None:
        return cached
    from django.apps import apps

    person = apps.get_model("registry", "Person")
    household = apps.get_model("registry", "Household")
    people = (
        person._default_manager.annotate(province=Substr("area_code", 1, 2))
        .values_list("province", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    households = (
        household._default_manager.annotate(province=Substr("village_id", 1, 2))
        .values_list("province", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {
        "people": [(p or "", s, n) for p, s, n in people],
        "households": [(p or "", s, n) for p, s, n in households],
    }
    cache.set("pandu:metrics:registry", counts, REGISTRY_CACHE_SECONDS)
    return counts


class SiteCollector(Collector):
    """Figures read fresh at each scrape (the registry's from the cache)."""

    def collect(self) -> Iterator:
        from pandu.core.models import Job, Worker

        from . import health

        info = InfoMetricFamily("pandu", "Versions of this site.")
        info.add_metric(
            [],
            {
                "version": version(),
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": connections["default"].vendor,
            },
        )
        yield info

        checks = GaugeMetricFamily(
            "pandu_health", "1 when the check of /healthz passes, else 0.", labels=["check"]
        )
        for name, ok in health.run().items():
            checks.add_metric([name], 1.0 if ok else 0.0)
        yield checks

        jobs = GaugeMetricFamily(
            "pandu_jobs", "Background jobs by kind and status.", labels=["kind", "status"]
        )
        waiting = 0
        rows = Job.objects.values_list("kind", "status").annotate(n=Count("id")).order_by()
        for kind, status, n in rows:
            jobs.add_metric([kind, status], float(n))
            if status == Job.Status.QUEUED:
                waiting += n
        yield jobs
        yield GaugeMetricFamily(
            "pandu_jobs_waiting", "Jobs waiting for a worker.", value=float(waiting)
        )
        length = queue_length()
        if length is not None:
            yield GaugeMetricFamily(
                "pandu_queue_messages",
                "Messages in the broker's job queue.",
                value=float(length),
            )

        now = timezone.now()
        recent = now.timestamp() - settings.PANDU_WORKER_MISSING_SECONDS
        alive = 0
        last = None
        for seen, stopped in Worker.objects.values_list("seen_at", "stopped_at"):
            last = seen if last is None or seen > last else last
            if stopped is None and seen.timestamp() >= recent:
                alive += 1
        yield GaugeMetricFamily(
            "pandu_workers_alive", "Workers whose heartbeat is recent.", value=float(alive)
        )
        age = (now - last).total_seconds() if last is not None else math.nan
        yield GaugeMetricFamily(
            "pandu_worker_heartbeat_age_seconds",
            "Seconds since any worker's last heartbeat (NaN: never).",
            value=age,
        )

        counts = registry_counts()
        for what, label in (("people", "people"), ("households", "households")):
            family = GaugeMetricFamily(
                f"pandu_registry_{what}",
                f"Registry {label} by province code and status.",
                labels=["province", "status"],
            )
            for province, status, n in counts[what]:
                family.add_metric([province, status], float(n))
            yield family


def exposition() -> bytes:
    """The text Prometheus reads: this process's (or all processes') request figures and the
    site's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    site = CollectorRegistry()
    site.register(SiteCollector())
    return generate_latest(requests) + generate_latest(site)
