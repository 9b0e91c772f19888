"""What every signed-in request passes before its page: the session's time limits, then the
account's gate (second factor, a one-time password to replace, an authenticator to enrol).

``SessionLimitsMiddleware`` ends a session idle for ``PANDU_SESSION_IDLE_MINUTES`` (30) or older
than ``PANDU_SESSION_MAX_HOURS`` (12) whatever its activity. Pages that refresh themselves
(htmx GETs: the bell, a job's progress, the service queue) do not count as activity, so an
unattended screen still times out.

``AccountGateMiddleware`` lets a signed-in user reach nothing but the few pages of the gate until
their account is in order, in this order: the code of their second factor when they have one,
then a new password when an administrator gave them a one-time one, then enrolling an
authenticator when their role requires two-factor login (``two_factor.required_for``). Every
other page redirects there (an API call with the session gets a 403 saying why; a call with a
token is not signed in by a session and is not concerned).

Neither stands in the way of ``/healthz`` and ``/metrics`` (``PROBE_PAGES``): a load balancer
or a monitoring system answers to its own checks (pandu/operations), whatever session a browser
on the same machine happens to hold, and its calls are not the session's activity.

Both read only the session and the user row already loaded: no query on an ordinary request.
"""

from __future__ import annotations

import time
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from . import two_factor

STARTED = "pandu_started"
SEEN = "pandu_seen"
#: Activity is written to the session at most this often (seconds), not on every request.
SEEN_RESOLUTION = 60


#: URL names answered to every caller, signed in or not, gated or not (pandu/operations).
PROBE_PAGES = frozenset({"operations:healthz", "operations:metrics"})


@cache
def _probe_paths() -> frozenset[str]:
    paths = set()
    for name in PROBE_PAGES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:  # the operations app is not installed
            continue
    return frozenset(paths)


def is_probe(request) -> bool:
    """Whether ``request`` is for ``/healthz`` or ``/metrics``."""
    return request.path_info in _probe_paths()


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _background(request) -> bool:
    return request.method == "GET" and request.headers.get("HX-Request") == "true"


def _send_to(request, url: str):
    """A redirect a browser follows even from an htmx request (which would swap the page in)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    from django.shortcuts import redirect

    return redirect(url)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and not is_probe(request)
        ):
            ended = self._check(request)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request):
        now = int(time.time())
        session = request.session
        started = session.get(STARTED)
        seen = session.get(SEEN)
        if started is None or seen is None:
            session[STARTED] = started or now
            session[SEEN] = now
            return None
        idle = int(getattr(settings, "PANDU_SESSION_IDLE_MINUTES", 30)) * 60
        longest = int(getattr(settings, "PANDU_SESSION_MAX_HOURS", 12)) * 3600
        if now - started > longest:
            return self._end(
                request, _("Sesi Anda sudah berakhir (batas lama sesi). Silakan masuk lagi.")
            )
        if now - seen > idle:
            return self._end(
                request, _("Sesi Anda berakhir karena lama tidak aktif. Silakan masuk lagi.")
            )
        if not _background(request) and now - seen >= SEEN_RESOLUTION:
            session[SEEN] = now
        return None

    def _end(self, request, message: str):
        logout(request)
        if _is_api(request):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        login = resolve_url(settings.LOGIN_URL)
        target = (
            request.get_full_path() if request.method == "GET" and not _background(request) else ""
        )
        return _send_to(request, f"{login}?next={quote(target)}" if target else login)


#: URL names a signed-in user may open while the gate holds them.
GATE_PAGES = {
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
    "accounts:password_change",
    "set_language",
}


def gate_step(request) -> str | None:
    """The gate page ``request.user`` must pass first, or None."""
    user = request.user
    verified = getattr(user, "is_verified", None)
    if user.two_factor_enabled and not (verified and verified()):
        return "accounts:two_factor_verify"
    if user.must_change_password:
        return "accounts:password_change"
    if not user.two_factor_enabled and two_factor.required_for(user):
        return "accounts:two_factor_enrol"
    return None


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in PROBE_PAGES:
            return None
        step = gate_step(request)
        if step is None:
            return None
        name = match.view_name if match is not None else ""
        if name == step or name in GATE_PAGES - {
            "accounts:password_change",
            "accounts:two_factor_enrol",
        }:
            return None
        if _is_api(request):
            return JsonResponse(
                {"detail": _("Selesaikan verifikasi akun Anda di halaman web terlebih dahulu.")},
                status=403,
            )
        if _background(request):
            return HttpResponse(status=204)  # a refresh (the bell) leaves the gate page alone
        url = resolve_url(step)
        if request.method == "GET" and not _background(request) and name != "portal:home":
            url = f"{url}?next={quote(request.get_full_path())}"
        return _send_to(request, url)
