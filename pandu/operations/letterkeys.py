"""Signed links on printed letters, checked with the letter-key ring (decision 0018).

A token is ``<key id>.<value>.<signature>``: the signature is HMAC-SHA256 (its first 16 bytes,
base64url) over the purpose, the key id and the value, with the key the id names. The newest
active key signs; every key that is not revoked verifies, so rotating the key (``manage.py
rotate_letter_key``) or changing ``SECRET_KEY`` leaves every printed letter checkable, and only
a revoked key makes its letters fail.

Letters printed before the ring carry Django's ``signing.dumps`` token (``payload:time:sig``),
signed with ``SECRET_KEY``. The migration kept the key Django derived from it (and from
``SECRET_KEY_FALLBACKS``) as a *legacy* key of the ring, so those letters keep verifying after
``SECRET_KEY`` changes too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

from django.core import signing

from .models import LetterKey

SIGNATURE_BYTES = 16
_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")
_KID = re.compile(r"^[a-z0-9-]{1,40}$")


class LetterKeyError(Exception):
    """A value that cannot be signed (characters outside base64url)."""


def new_secret() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_kid() -> str:
    return secrets.token_hex(4)


def legacy_secret(salt: str, secret_key: str) -> str:
    """The key Django's ``signing.dumps(value, salt=salt)`` derived from ``secret_key``
    (``salted_hmac``: SHA-256 of ``salt + "signer" + secret_key``), base64."""
    derived = hashlib.sha256((salt + "signer" + secret_key).encode()).digest()
    return base64.b64encode(derived).decode("ascii")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _raw(secret: str) -> bytes:
    return base64.b64decode(secret.encode("ascii"))


def _signature(secret: str, purpose: str, kid: str, value: str) -> str:
    message = f"pandu.letter:{purpose}:{kid}.{value}".encode()
    return _b64(hmac.new(_raw(secret), message, hashlib.sha256).digest()[:SIGNATURE_BYTES])


def current_key() -> LetterKey:
    """The key that signs now; the ring's first key is made when there is none."""
    key = (
        LetterKey.objects.filter(legacy=False, retired_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if key is None:
        from .actions import ensure_letter_key

        key = ensure_letter_key()
    return key


def sign(purpose: str, value: str) -> str:
    """A token for ``value`` (base64url characters, such as a UUID's hex) printed on a letter."""
    if not _VALUE.match(value):
        raise LetterKeyError("letter token values are base64url characters (A-Z a-z 0-9 _ -)")
    key = current_key()
    return f"{key.kid}.{value}.{_signature(key.secret, purpose, key.kid, value)}"


def unsign(purpose: str, token: str, *, legacy_salt: str | None = None) -> str | None:
    """The value a genuine token carries, or None (forged, changed, or its key revoked).

    ``legacy_salt``: the salt the letters of ``purpose`` were signed with before the ring, so
    their ``signing.dumps`` tokens are checked too.
    """
    token = (token or "").strip()
    if ":" in token:
        return _unsign_legacy(purpose, token, legacy_salt) if legacy_salt else None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    kid, value, signature = parts
    if not _KID.match(kid) or not _VALUE.match(value):
        return None
    key = LetterKey.objects.filter(kid=kid, legacy=False, revoked_at__isnull=True).first()
    if key is None:
        return None
    try:
        expected = _signature(key.secret, purpose, kid, value)
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    return value


class _DerivedSigner(signing.TimestampSigner):
    """Django's signer with the derived key kept in the ring instead of ``SECRET_KEY``."""

    def __init__(self, derived: bytes):
        super().__init__(key="ring", fallback_keys=[], salt="ring")
        self._derived = derived

    def signature(self, value, key=None):
        digest = hmac.new(self._derived, str(value).encode(), hashlib.sha256).digest()
        return signing.b64_encode(digest).decode()


def _unsign_legacy(purpose: str, token: str, salt: str) -> str | None:
    """Keys tried: the legacy keys the ring kept, then those derived from today's
    ``SECRET_KEY`` and its fallbacks (a site whose migration ran after a key change); a revoked
    legacy key is never tried, whichever way it is reached."""
    from django.conf import settings

    keys = LetterKey.objects.filter(legacy=True, purpose=purpose)
    revoked = set(keys.filter(revoked_at__isnull=False).values_list("secret", flat=True))
    kept = list(
        keys.filter(revoked_at__isnull=True).order_by("id").values_list("secret", flat=True)
    )
    derived = [
        legacy_secret(salt, str(k)) for k in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]
    for secret in dict.fromkeys([*kept, *derived]):
        if secret in revoked:
            continue
        try:
            found = _DerivedSigner(_raw(secret)).unsign_object(token)
        except (signing.BadSignature, binascii.Error, ValueError):
            continue
        return found if isinstance(found, str) else None
    return None
