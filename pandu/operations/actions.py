"""Every write of the operations app: the letter-key ring's rotation and revocation.

Run by an operator from the command line (``manage.py rotate_letter_key``), so no user acts;
each change is logged (the key id, never the key).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from . import letterkeys
from .models import LetterKey

log = logging.getLogger("pandu.operations")

#: The letters signed with ``signing.dumps`` before the ring, by purpose: their salts.
LEGACY_SALTS = {"referral-letter": "pandu.services.referral-letter"}


class KeyRingError(Exception):
    """A change the ring refuses (an unknown key, revoking the only key that signs)."""


@transaction.atomic
def ensure_letter_key() -> LetterKey:
    """The key that signs now, made if the ring has none (a new or emptied database)."""
    current = (
        LetterKey.objects.select_for_update()
        .filter(legacy=False, retired_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if current is not None:
        return current
    key = LetterKey.objects.create(
        kid=letterkeys.new_kid(), secret=letterkeys.new_secret(), note="first key"
    )
    log.info("letter key %s made (the ring had no signing key)", key.kid)
    return key


@transaction.atomic
def rotate_letter_key(note: str = "") -> tuple[LetterKey, list[str]]:
    """A new key signs from now on; the keys that signed before are retired (they still verify).

    Returns the new key and the ids of the keys it replaced."""
    now = timezone.now()
    active = LetterKey.objects.select_for_update().filter(
        legacy=False, retired_at__isnull=True, revoked_at__isnull=True
    )
    replaced = list(active.values_list("kid", flat=True))
    active.update(retired_at=now)
    key = LetterKey.objects.create(
        kid=letterkeys.new_kid(), secret=letterkeys.new_secret(), note=note[:200]
    )
    log.info("letter key rotated: %s signs, %s retired", key.kid, ",".join(replaced) or "-")
    return key, replaced


@transaction.atomic
def revoke_letter_key(kid: str, note: str = "") -> LetterKey:
    """A leaked key verifies nothing any more; if it was signing, a new key takes over."""
    key = LetterKey.objects.select_for_update().filter(kid=kid).first()
    if key is None:
        raise KeyRingError(f"no letter key with id {kid!r}")
    if key.revoked_at is not None:
        return key
    signing_now = not key.legacy and key.retired_at is None
    key.revoked_at = timezone.now()
    key.note = (note or key.note)[:200]
    key.save(update_fields=["revoked_at", "note"])
    log.warning("letter key %s revoked: letters it signed no longer verify", key.kid)
    if signing_now:
        rotate_letter_key(note=f"replaces revoked {key.kid}")
    return key


@transaction.atomic
def keep_legacy_letter_keys(secret_keys: list[str]) -> list[LetterKey]:
    """Keep the keys that ``signing.dumps`` derived from ``secret_keys`` for each purpose, so
    letters printed before the ring verify after ``SECRET_KEY`` changes. Safe to repeat."""
    made = []
    for purpose, salt in LEGACY_SALTS.items():
        for secret_key in secret_keys:
            secret = letterkeys.legacy_secret(salt, secret_key)
            if LetterKey.objects.filter(legacy=True, purpose=purpose, secret=secret).exists():
                continue
            n = LetterKey.objects.filter(legacy=True, purpose=purpose).count()
            made.append(
                LetterKey.objects.create(
                    kid=f"legacy-{purpose}-{n}",
                    secret=secret,
                    purpose=purpose,
                    legacy=True,
                    retired_at=timezone.now(),
                    note="derived from a SECRET_KEY in use before the key ring",
                )
            )
    return made
