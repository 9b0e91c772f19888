"""Two-factor login pages: the code at sign-in, enrolling an authenticator app, the account's
security page, new recovery codes and turning it off."""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core import ratelimit
from pandu.core.forms import add_action_errors

from .. import actions, two_factor
from ..forms import CodeForm
from ..models import UserChange
from ..queries import tokens_of
from ._common import address, next_url

ENROL_KEY = "pandu_enrol_key"


def _code_rate() -> tuple[int, int]:
    return ratelimit.parse_rate(getattr(settings, "PANDU_2FA_CODES_PER_USER", "10/15m"))


def _verified(request) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def _too_many(request, form) -> bool:
    limit, window = _code_rate()
    if not ratelimit.hit("2fa.code", f"user:{request.user.pk}", limit=limit, window=window):
        form.add_error(
            None,
            _("Terlalu banyak kode yang salah. Tunggu 15 menit lalu coba lagi."),
        )
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the app, or one of the recovery codes."""
    user = request.user
    if not user.two_factor_enabled or _verified(request):
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_many(request, form):
        device = actions.check_code(user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("Kode salah atau sudah dipakai."))
        else:
            request.session.cycle_key()  # a new session id once the second step is passed
            django_otp.login(request, device)
            if not two_factor.looks_like_app_code(form.cleaned_data["code"]):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "Anda masuk dengan kode cadangan. Sisa kode cadangan: %(n)d. Buat kode "
                        "baru di halaman Keamanan akun bila hampir habis."
                    )
                    % {"n": left},
                )
            return redirect(next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"title": _("Verifikasi dua langkah"), "form": form, "next": request.GET.get("next", "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Pair an authenticator app: scan the code (or type the key), confirm with its first code.
    The key waits in the session until it is confirmed; nothing is saved before."""
    user = request.user
    if user.two_factor_enabled:
        return redirect("accounts:security")
    key = request.session.get(ENROL_KEY) or two_factor.new_device_key()
    request.session[ENROL_KEY] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_many(request, form):
        try:
            device, codes = actions.enrol_authenticator(
                user, key, form.cleaned_data["code"], address=address(request)
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            request.session.pop(ENROL_KEY, None)
            request.session.cycle_key()
            django_otp.login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {
                    "title": _("Kode cadangan"),
                    "codes": codes,
                    "enrolled": True,
                    "continue_url": next_url(request, "accounts:security"),
                },
            )
    device = two_factor.unsaved_device(user, key)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "title": _("Aktifkan verifikasi dua langkah"),
            "form": form,
            "qr": two_factor.qr_data_uri(device),
            "secret": two_factor.secret_of(device),
            "required": two_factor.required_for(user),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def security(request):
    """The user's own account: password, two-factor login, API tokens, recent changes."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "title": _("Keamanan akun"),
            "required": two_factor.required_for(user),
            "codes_left": two_factor.recovery_codes_left(user) if user.two_factor_enabled else 0,
            "tokens_active": sum(1 for t in tokens_of(user) if t.active),
            "changes": UserChange.objects.filter(user=user).select_related("actor")[:10],
        },
    )


def _require_verified(request) -> None:
    if not request.user.two_factor_enabled or not _verified(request):
        raise PermissionDenied


@login_required
@require_POST
def recovery_codes(request):
    """Ten new recovery codes, shown once; the old ones stop working."""
    try:
        _require_verified(request)
        codes = actions.renew_recovery_codes(request.user, address=address(request))
    except (PermissionDenied, ValidationError):
        messages.error(request, _("Aktifkan verifikasi dua langkah terlebih dahulu."))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"title": _("Kode cadangan"), "codes": codes, "continue_url": ""},
    )


@login_required
@require_POST
def disable(request):
    try:
        _require_verified(request)
        actions.disable_two_factor(request.user, address=address(request))
    except PermissionDenied as exc:
        messages.error(
            request, str(exc) or _("Verifikasi dua langkah tidak dapat dimatikan sekarang.")
        )
    else:
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
    return redirect("accounts:security")
