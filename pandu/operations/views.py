"""``/healthz`` for load balancers and uptime checks, ``/metrics`` for Prometheus.

``/healthz`` is open to anyone and says only ok or failing per check (the reasons are logged).
``/metrics`` answers a bearer token (``PANDU_METRICS_TOKEN``) or a caller inside
``PANDU_METRICS_ALLOWED_NETWORKS`` (its address as the trusted proxies saw it); anyone else
gets the same 404 as an address that does not exist, and a signed-in user's refusal is logged.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pandu.core.access import deny
from pandu.core.ratelimit import client_ip, count, hit

from . import health, metrics

#: Wrong tokens one address may send in ``FAILURE_WINDOW`` before every answer is a 404.
FAILURE_LIMIT = 20
FAILURE_WINDOW = 15 * 60
FAILURES = "operations.metrics-failures"


@never_cache
@require_safe
def healthz(request):
    """``{"status": "ok", "checks": {"database": "ok", ...}}``, 200 when every check passes and
    503 otherwise. ``?check=database`` runs only the named checks (a load balancer asks about
    this web process, not the workers)."""
    asked = [n for n in request.GET.get("check", "").split(",") if n in health.CHECKS]
    results = health.run(asked or None)
    healthy = all(results.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "failing",
            "checks": {name: "ok" if ok else "failing" for name, ok in results.items()},
        },
        status=200 if healthy else 503,
    )


def _bearer(request) -> str:
    scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _trusted_address(address: str) -> bool:
    networks = getattr(settings, "PANDU_METRICS_ALLOWED_NETWORKS", []) or []
    if not networks or not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for net in networks:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:  # a setting that is not a network (check --deploy says so)
            continue
    return False


def metrics_allowed(request) -> bool:
    address = client_ip(request)
    if _trusted_address(address):
        return True
    expected = getattr(settings, "PANDU_METRICS_TOKEN", "") or ""
    given = _bearer(request)
    if not expected or not given:
        return False
    if count(FAILURES, address) >= FAILURE_LIMIT:
        return False
    if hmac.compare_digest(expected.encode(), given.encode()):
        return True
    hit(FAILURES, address, limit=FAILURE_LIMIT, window=FAILURE_WINDOW)
    return False


@never_cache
@require_safe
def metrics_view(request):
    if not metrics_allowed(request):
        if request.user.is_authenticated:
            deny(request, "metrics: no token and not a trusted address")
        raise Http404
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
