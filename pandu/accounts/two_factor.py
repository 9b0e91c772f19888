"""Two-factor login with django-otp: an authenticator app (TOTP device) and ten single-use
recovery codes (a static device).

Who must use it is configuration (``settings.PANDU_2FA_REQUIRED_ROLES``: role values, and
``superuser`` for superusers); anyone else may turn it on. Recovery codes are shown once and kept
only as a digest: the static device stores the first 16 hexadecimal digits of each code's SHA-256,
and a code typed at login is hashed the same way before the device checks it (the device still
deletes a used code and throttles wrong guesses).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from io import BytesIO
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
#: Name of the authenticator device; the static device is named after it.
APP_DEVICE = "Aplikasi autentikator"
RECOVERY_DEVICE = "Kode cadangan"
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required_for(user: Any) -> bool:
    """Whether ``user``'s account must use two-factor login."""
    required = set(getattr(settings, "PANDU_2FA_REQUIRED_ROLES", ()))
    if getattr(user, "is_superuser", False) and "superuser" in required:
        return True
    return getattr(user, "role", None) in required


def new_recovery_code() -> str:
    """``xxxx-xxxx-xxxx``: 12 characters (about 59 bits), easy to copy by hand."""
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def recovery_digest(code: str) -> str:
    """What the static device keeps of a recovery code (its token field holds 16 characters)."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()[:16]


def looks_like_app_code(code: str) -> bool:
    digits = (code or "").replace(" ", "")
    return digits.isdigit() and len(digits) == 6


def new_device_key() -> str:
    """A fresh TOTP key (hex, as django-otp stores it), kept in the session until confirmed."""
    from django_otp.util import random_hex

    return random_hex(20)


def unsaved_device(user: Any, key: str) -> TOTPDevice:
    """The device the enrolment page shows (QR code, typed key) before it is confirmed."""
    return TOTPDevice(user=user, name=APP_DEVICE, key=key, confirmed=False)


def match_app_code(key: str, code: str) -> int | None:
    """The time step at which ``code`` is the app's code for ``key`` (one step of drift either
    way), or None."""
    from django_otp.oath import TOTP

    code = (code or "").replace(" ", "")
    if not looks_like_app_code(code):
        return None
    try:
        totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    except ValueError:
        return None
    totp.time = time.time()
    now = totp.t()
    for drift in (0, -1, 1):
        totp.drift = drift
        if totp.token() == int(code):
            return now + drift
    return None


def app_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


def recovery_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: Any) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device is not None else 0


def secret_of(device: TOTPDevice) -> str:
    """The device's key as the base32 text an authenticator app accepts when typed."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as a QR code, an SVG in a ``data:`` URI (the CSP
    allows ``data:`` images, not inline markup with styles)."""
    from django_otp.qr import write_qrcode_image

    out = BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
