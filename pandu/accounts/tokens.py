"""API tokens: what a key looks like and how a presented key finds its row.

A key is ``pdu_`` and 40 random URL-safe characters (about 240 bits). Only its SHA-256 digest is
stored: a key has so much chance in it that a slow password hash would add nothing but time on
every API call. The first 8 characters are kept to tell one's tokens apart on the page.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from .models import ApiToken

KEY_PREFIX = "pdu_"
SHOWN_CHARS = 8
MAX_DAYS = 365


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(30)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_days() -> int:
    return int(getattr(settings, "PANDU_API_TOKEN_DAYS", 90))


def find(key: str) -> ApiToken | None:
    """The token whose key is ``key``, active or not (the caller says why it is refused)."""
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(digest=digest(key)).first()


def usable(token: ApiToken | None) -> bool:
    return (
        token is not None
        and token.revoked_at is None
        and token.expires_at > timezone.now()
        and token.user.is_active
    )
