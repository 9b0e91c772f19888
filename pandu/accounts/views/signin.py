"""Signing in and out. The password is checked here (django-axes locks an account after
``AXES_FAILURE_LIMIT`` wrong passwords from one address); the second factor, a one-time password
to replace and a required enrolment are the gate's (``accounts.middleware``).

Wrong passwords are also counted per address whatever the account: past
``PANDU_LOGIN_FAILURES_PER_ADDRESS`` the address may not try again until the window ends, so one
address cannot guess through many accounts while each account's own lock-out stays per address
(one attacker cannot lock a colleague out).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from pandu.core import ratelimit

from ..forms import LoginForm

FAILED = "login.failed"


def _address_rate() -> tuple[int, int]:
    return ratelimit.parse_rate(getattr(settings, "PANDU_LOGIN_FAILURES_PER_ADDRESS", "30/15m"))


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Masuk")}

    def post(self, request, *args, **kwargs):
        limit, _window = _address_rate()
        if ratelimit.count(FAILED, ratelimit.client_ip(request)) >= limit:
            return render(
                request,
                "accounts/locked.html",
                {"title": gettext_lazy("Terlalu banyak percobaan masuk"), "by_address": True},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        limit, window = _address_rate()
        ratelimit.hit(FAILED, ratelimit.client_ip(self.request), limit=limit, window=window)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass
