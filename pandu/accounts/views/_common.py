"""What the accounts pages share: the caller's address for the history, a safe ``next``."""

from __future__ import annotations

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from pandu.core.ratelimit import client_ip


def address(request) -> str | None:
    return client_ip(request) or None


def next_url(request, default: str = "portal:home") -> str:
    """The page to go on to: ``next`` when it is a page of this site, else ``default``."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(default)
