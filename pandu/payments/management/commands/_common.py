"""What the payment commands share: a cycle by its UUID or number, an error's messages."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from ...models import Cycle


def cycle_of(text: str) -> Cycle:
    """The cycle named by its UUID or its number (the commands are the server operator's)."""
    text = (text or "").strip()
    query = Cycle.objects.select_related("programme", "area")
    found = None
    if text.isdigit():
        found = query.filter(pk=int(text)).first()
    else:
        try:
            found = query.filter(uid=uuid.UUID(text)).first()
        except ValueError:
            found = None
    if found is None:
        raise CommandError(f"Siklus {text} tidak ditemukan.")
    return found


def messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for msgs in error.message_dict.values() for m in msgs]
    return list(error.messages)
