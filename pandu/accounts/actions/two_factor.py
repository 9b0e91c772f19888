"""Two-factor login: enrolling an authenticator app, checking a code at sign-in, new recovery
codes, turning it off (where the role allows) and the administrator's reset for a lost phone.
The library keeps the devices (django-otp); the account's ``two_factor_enabled`` follows them here,
so the login gate reads it without a query."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import two_factor
from ..models import User, UserChange
from ..queries import can_manage
from .users import record_change


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=two_factor.RECOVERY_DEVICE)
    codes = [two_factor.new_recovery_code() for _i in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=two_factor.recovery_digest(code)) for code in codes
    )
    return codes


@transaction.atomic
def enrol_authenticator(
    user: User, key: str, code: str, *, address: str | None = None
) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app proves it holds ``key`` (shown on the enrolment page): the
    device is saved confirmed, ten recovery codes are made (returned, to be shown once) and the
    account has two-factor login. The code just used cannot be used again to sign in."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.two_factor_enabled:
        raise ValidationError(_("Verifikasi dua langkah sudah aktif untuk akun ini."))
    step = two_factor.match_app_code(key, code)
    if step is None:
        raise ValidationError(
            {"code": _("Kode salah atau sudah kedaluwarsa. Masukkan kode 6 angka terbaru.")}
        )
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=two_factor.APP_DEVICE, key=key, confirmed=True, last_t=step
    )
    codes = _new_recovery_codes(user)
    user.two_factor_enabled = True
    user.save(update_fields=["two_factor_enabled"])
    record_change(user, UserChange.Kind.TWO_FACTOR_ON, actor=user, address=address)
    return device, codes


def check_code(user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (a 6-digit code from the app, or a recovery code, which
    is then used up), or None. Each device throttles wrong guesses itself."""
    with transaction.atomic():
        if two_factor.looks_like_app_code(code):
            for device in TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update():
                if device.verify_token(code.replace(" ", "")):
                    return device
            return None
        hashed = two_factor.recovery_digest(code)
        for device in StaticDevice.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(hashed):
                return device
    return None


@transaction.atomic
def renew_recovery_codes(user: User, *, address: str | None = None) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not user.two_factor_enabled:
        raise ValidationError(_("Aktifkan verifikasi dua langkah terlebih dahulu."))
    codes = _new_recovery_codes(user)
    record_change(user, UserChange.Kind.RECOVERY_CODES, actor=user, address=address)
    return codes


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(two_factor_enabled=False)
    user.two_factor_enabled = False


@transaction.atomic
def disable_two_factor(user: User, *, address: str | None = None) -> None:
    """The user turns it off, where their role does not require it."""
    if two_factor.required_for(user):
        raise PermissionDenied(_("Peran Anda wajib memakai verifikasi dua langkah."))
    if not user.two_factor_enabled:
        return
    _remove_devices(user)
    record_change(user, UserChange.Kind.TWO_FACTOR_OFF, actor=user, address=address)


@transaction.atomic
def reset_two_factor(actor: User, user: User, *, reason: str, address: str | None = None) -> None:
    """A lost phone and lost recovery codes: the administrator removes the devices; the user
    enrols again at the next sign-in (where the role requires it)."""
    user = User.objects.select_for_update(of=("self",)).select_related("area").get(pk=user.pk)
    if not can_manage(actor, user):
        raise PermissionDenied(_("Anda tidak berwenang mengubah akun ini."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasannya.")})
    _remove_devices(user)
    record_change(
        user, UserChange.Kind.TWO_FACTOR_RESET, actor=actor, detail=reason, address=address
    )
