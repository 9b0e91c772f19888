"""Who is calling, and how often: the one place rate limits are counted.

The address is ``REMOTE_ADDR`` unless the site sits behind reverse proxies it trusts
(``PANDU_TRUSTED_PROXIES``, a count). Each proxy appends the address it saw to
``X-Forwarded-For``, so only the last *n* entries were written by the site's own proxies;
anything before them was written by the caller and is ignored.

Counts live in the default cache, which the settings make shared by every worker process
(a file cache on one machine, Redis across machines; see decision 0010). A count is a fixed
window: the first try opens it and it lasts ``window`` seconds. Cache keys hold a hash of the
identity, never the identity itself (an address, a user id, a ticket number).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _valid_address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The caller's address as the site's outermost trusted proxy saw it."""
    meta = getattr(request, "META", None) or {}
    remote = meta.get("REMOTE_ADDR", "") or ""  # empty, not a made-up word: axes stores it
    proxies = int(getattr(settings, "PANDU_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    hops = [h for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if not hops:
        return remote
    # With fewer entries than proxies, the first one was written by a proxy as well.
    chosen = hops[-proxies] if len(hops) >= proxies else hops[0]
    return _valid_address(chosen) or remote


def cache_key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(f"{scope}|{ident}".encode()).hexdigest()[:40]
    return f"pandu:rl:{scope}:{digest}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one try of ``ident`` in ``scope``; False once more than ``limit`` were made in the
    current window."""
    key = cache_key(scope, ident)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit


def count(scope: str, ident: str) -> int:
    """Tries of ``ident`` in ``scope`` in the current window."""
    return int(cache.get(cache_key(scope, ident)) or 0)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/minute"`` → (120, 60); ``"10/15m"`` → (10, 900)."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"not a rate: {rate!r}")
    number, multiple, unit = match.groups()
    return int(number), int(multiple or 1) * _SECONDS[unit[0]]


class ScopedThrottle(BaseThrottle):
    """DRF throttle counting through :func:`hit`: per user when signed in, else per address.

    The view names its ``throttle_scope``; the rate comes from ``DEFAULT_THROTTLE_RATES``.
    """

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, "throttle_scope", None)
        config: dict[str, Any] = settings.REST_FRAMEWORK
        rates: dict[str, str] = config.get("DEFAULT_THROTTLE_RATES") or {}
        if not scope or not rates.get(scope):
            return True
        limit, window = parse_rate(rates[scope])
        user = getattr(request, "user", None)
        ident = f"user:{user.pk}" if user is not None and user.is_authenticated else None
        self.window = window
        return hit(f"api.{scope}", ident or f"ip:{client_ip(request)}", limit=limit, window=window)

    def get_ident(self, request) -> str:
        return client_ip(request)

    def wait(self) -> float | None:
        return float(getattr(self, "window", 60))
